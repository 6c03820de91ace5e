import { CfnOutput, Duration, RemovalPolicy } from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  type UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
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
  /** Where the managed sign-in may send users back (the web page, configured https URLs); none: no OAuth flow. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** Prefix of the Cognito managed-login domain (with OAuth only). */
  readonly domainPrefix: string;
};

/**
 * The Cognito user pool the API's JWT authorizer trusts when no other issuer is configured: no
 * self sign-up, e-mail sign-in, SRP only (no USER_PASSWORD_AUTH), no user-existence leaks, e-mail-only
 * recovery, optional TOTP MFA (no SMS), authorization-code flow only and only to configured callbacks.
 */
export class UserDirectory extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  /** The managed-login domain, when the client has an OAuth flow. */
  public readonly domain: UserPoolDomain | undefined;

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
    // The web page signs in with Cognito managed login: authorization code flow with PKCE (public client).
    this.client = new UserPoolClient(this, "Client", {
      userPool: this.userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      ...(oauth
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
              callbackUrls: [...props.callbackUrls],
              logoutUrls: [...props.logoutUrls],
            },
          }
        : { disableOAuth: true }),
    });
    this.domain = oauth
      ? this.userPool.addDomain("LoginDomain", {
          cognitoDomain: { domainPrefix: props.domainPrefix },
          managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
        })
      : undefined;
    if (oauth) {
      new CfnManagedLoginBranding(this, "LoginBranding", {
        userPoolId: this.userPool.userPoolId,
        clientId: this.client.userPoolClientId,
        useCognitoProvidedValues: true,
      });
    }
    new CfnOutput(scope, "UserPoolId", { value: this.userPool.userPoolId });
    new CfnOutput(scope, "UserPoolClientId", { value: this.client.userPoolClientId });
  }
}
