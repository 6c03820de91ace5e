import { CfnOutput, Duration, RemovalPolicy } from "aws-cdk-lib";
import { AccountRecovery, Mfa, UserPool, UserPoolClient } from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

/** The password policy of the user pool (README "Security"). */
export const passwordPolicy = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  tempPasswordValidity: Duration.days(3),
} as const;

export type UserDirectoryProps = {
  /** Where the hosted sign-in may send users back (https); none: no OAuth flows at all. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
};

/**
 * The Cognito user pool the API's JWT authorizer trusts when no other issuer is configured: no
 * self sign-up, e-mail sign-in, SRP only (no USER_PASSWORD_AUTH), no user-existence leaks, e-mail-only
 * recovery, optional TOTP MFA (no SMS), authorization-code flow only and only to configured callbacks.
 */
export class UserDirectory extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;

  public constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.userPool = new UserPool(this, "UserPool", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const oauth = props.callbackUrls.length > 0;
    this.client = new UserPoolClient(this, "Client", {
      userPool: this.userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      ...(oauth
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              callbackUrls: [...props.callbackUrls],
              logoutUrls: [...props.logoutUrls],
            },
          }
        : { disableOAuth: true }),
    });
    new CfnOutput(scope, "UserPoolId", { value: this.userPool.userPoolId });
    new CfnOutput(scope, "UserPoolClientId", { value: this.client.userPoolClientId });
  }
}
