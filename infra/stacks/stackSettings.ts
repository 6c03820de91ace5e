import type { Node } from "constructs";
import { requireHttps, traktDefaults } from "#config/env.ts";

/**
 * CDK context keys the app reads (`cdk deploy -c key=value` or `context` in cdk.json):
 * - `traktClientId`  (optional) Trakt app client id, passed to the functions as TRAKT_CLIENT_ID; without
 *                    it the functions take it from the credentials secret (which the operator fills).
 * - `jwtIssuer`, `jwtAudience` (optional, give both or neither) issuer URL and audience (comma-separated
 *                    for several) of the JWTs the HTTP API accepts. Without them the stack creates a
 *                    Cognito user pool and app client and uses those.
 * - `traktApiUrl`    (default `traktDefaults.apiUrl`, https://api.trakt.tv)
 * - `traktAuthUrl`   (default `traktDefaults.authUrl`, https://auth.trakt.tv)
 * - `alarmEmail`     (optional) e-mail address subscribed to the alarm topic.
 * - `authCallbackUrls`, `authLogoutUrls` (optional, comma-separated https URLs) where the created
 *                    user pool's hosted sign-in may return; without callbacks the client has no OAuth flow.
 * - `apiReservedConcurrency` (default 20; 0 for none) concurrency kept for the API function alone.
 */
export const contextKeys = {
  traktClientId: "traktClientId",
  jwtIssuer: "jwtIssuer",
  jwtAudience: "jwtAudience",
  traktApiUrl: "traktApiUrl",
  traktAuthUrl: "traktAuthUrl",
  alarmEmail: "alarmEmail",
  authCallbackUrls: "authCallbackUrls",
  authLogoutUrls: "authLogoutUrls",
  apiReservedConcurrency: "apiReservedConcurrency",
} as const;

export const defaultApiReservedConcurrency = 20;

export type JwtSettings = {
  readonly issuer: string;
  readonly audience: readonly string[];
};

export type StackSettings = {
  readonly traktClientId?: string;
  /** Absent: the stack creates a Cognito user pool and app client as the token issuer. */
  readonly jwt?: JwtSettings;
  readonly traktApiUrl: string;
  readonly traktAuthUrl: string;
  readonly alarmEmail?: string;
  /** Hosted sign-in callbacks of the created user pool (https); empty: no OAuth flows. */
  readonly authCallbackUrls?: readonly string[];
  readonly authLogoutUrls?: readonly string[];
  /** Concurrency reserved for the API function; 0: none (accounts with a low concurrency quota). */
  readonly apiReservedConcurrency?: number;
};

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new Error(`Context value "${key}" must be a string`);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function httpsList(node: Node, key: string): string[] {
  const urls = (optionalString(node, key) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const url of urls) requireHttps(`Context value "${key}"`, url);
  return urls;
}

function httpsUrl(key: string, url: string): string {
  requireHttps(`Context value "${key}"`, url);
  return url;
}

/** Reads and validates the app's context values (see `contextKeys`). */
export function readStackSettings(node: Node): StackSettings {
  const issuer = optionalString(node, contextKeys.jwtIssuer);
  const audience = optionalString(node, contextKeys.jwtAudience);
  if ((issuer === undefined) !== (audience === undefined)) {
    throw new Error(
      `Give both context values "${contextKeys.jwtIssuer}" and "${contextKeys.jwtAudience}", or neither`,
    );
  }
  const traktClientId = optionalString(node, contextKeys.traktClientId);
  const alarmEmail = optionalString(node, contextKeys.alarmEmail);
  const callbacks = httpsList(node, contextKeys.authCallbackUrls);
  const logouts = httpsList(node, contextKeys.authLogoutUrls);
  const reserved = optionalString(node, contextKeys.apiReservedConcurrency);
  if (reserved !== undefined && !/^\d+$/.test(reserved)) {
    throw new Error(`Context value "${contextKeys.apiReservedConcurrency}" must be a whole number`);
  }
  return {
    ...(callbacks.length > 0 ? { authCallbackUrls: callbacks } : {}),
    ...(logouts.length > 0 ? { authLogoutUrls: logouts } : {}),
    ...(reserved === undefined ? {} : { apiReservedConcurrency: Number(reserved) }),
    ...(traktClientId === undefined ? {} : { traktClientId }),
    ...(issuer === undefined || audience === undefined
      ? {}
      : {
          jwt: {
            issuer,
            audience: audience
              .split(",")
              .map((entry) => entry.trim())
              .filter((entry) => entry !== ""),
          },
        }),
    traktApiUrl: httpsUrl(
      contextKeys.traktApiUrl,
      optionalString(node, contextKeys.traktApiUrl) ?? traktDefaults.apiUrl,
    ),
    traktAuthUrl: httpsUrl(
      contextKeys.traktAuthUrl,
      optionalString(node, contextKeys.traktAuthUrl) ?? traktDefaults.authUrl,
    ),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  };
}
