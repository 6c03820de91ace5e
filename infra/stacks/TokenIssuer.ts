import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { serviceName } from "#infra/constructs/ServiceFunction.ts";
import { UserDirectory } from "#infra/constructs/UserDirectory.ts";
import type { JwtSettings } from "./stackSettings.ts";

export type TokenIssuerProps = {
  /** An external issuer; absent: a Cognito user pool is made (`UserDirectory`, id `Users`). */
  readonly jwt?: JwtSettings;
  /** The web page's address (its sign-in returns there), besides these configured ones. */
  readonly pageUrl: string;
  readonly callbackUrls?: readonly string[];
  readonly logoutUrls?: readonly string[];
};

/**
 * Who issues the JWTs the HTTP API accepts: the Cognito user pool made here (whose managed login the
 * web page uses), or an external issuer (the page then has no sign-in of its own).
 */
export class TokenIssuer {
  public readonly issuer: string;
  public readonly audience: string[];
  private readonly users: UserDirectory | undefined;

  public constructor(scope: Construct, props: TokenIssuerProps) {
    if (props.jwt !== undefined) {
      this.issuer = props.jwt.issuer;
      this.audience = [...props.jwt.audience];
      this.users = undefined;
      return;
    }
    this.users = new UserDirectory(scope, "Users", {
      callbackUrls: [props.pageUrl, ...(props.callbackUrls ?? [])],
      logoutUrls: [props.pageUrl, ...(props.logoutUrls ?? [])],
      domainPrefix: `${serviceName}-${Stack.of(scope).account}`,
    });
    this.issuer = this.users.userPool.userPoolProviderUrl;
    this.audience = [this.users.client.userPoolClientId];
  }

  /** The sign-in settings of the page at `pageUrl` (config.json's `auth`). */
  public pageAuth(pageUrl: string): Record<string, unknown> {
    const domain = this.users?.domain;
    if (!this.users || !domain) return { mode: "external" };
    return {
      mode: "cognito",
      domain: domain.baseUrl(),
      clientId: this.users.client.userPoolClientId,
      redirectUri: `${pageUrl}/`,
      scopes: ["openid", "email"],
    };
  }
}
