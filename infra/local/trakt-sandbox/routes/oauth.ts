import type { PollOutcome } from "../deviceFlow.ts";
import type { Reply } from "../http.ts";
import { emptyReply, errorReply, httpError, jsonReply, requireObject } from "../http.ts";
import type { Runtime } from "../state.ts";
import { tokenTtlSeconds } from "../state.ts";
import { ensureUser } from "../users.ts";
import type { ApiRequest, ApiRoute } from "./apiTypes.ts";

const INVALID_GRANT =
  "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the " +
  "authorization request, or was issued to another client.";

/** The slug used by `GET /oauth/authorize` when the request names no `sandbox_user`. */
export const DEFAULT_AUTHORIZE_USER = "sandbox-user";

function checkClient(runtime: Runtime, body: Record<string, unknown>, needsSecret: boolean): void {
  const idOk = body.client_id === runtime.config.clientId;
  const secretOk = !needsSecret || body.client_secret === runtime.config.clientSecret;
  if (!idOk || !secretOk) {
    throw httpError(401, "invalid_client", "Client authentication failed due to unknown client.");
  }
}

function deviceCode(request: ApiRequest): Reply {
  const { runtime } = request;
  checkClient(runtime, requireObject(request.body), false);
  const grant = runtime.state.devices.create(
    runtime.now(),
    runtime.config.deviceCodeTtlSeconds,
    runtime.config.deviceIntervalSeconds,
  );
  return jsonReply(200, { ...grant, verification_url: `${runtime.baseUrl}/activate` });
}

const POLL_REPLIES: Record<Exclude<PollOutcome["outcome"], "approved">, Reply> = {
  pending: emptyReply(400),
  not_found: emptyReply(404),
  used: emptyReply(409),
  expired: emptyReply(410),
  denied: emptyReply(418),
  slow_down: emptyReply(429),
};

function deviceToken(request: ApiRequest): Reply {
  const { runtime } = request;
  const body = requireObject(request.body);
  checkClient(runtime, body, true);
  const result = runtime.state.devices.poll(String(body.code ?? ""), runtime.now());
  if (result.outcome !== "approved") return POLL_REPLIES[result.outcome];
  return jsonReply(200, runtime.state.tokens.issue(result.slug, runtime.now(), tokenTtlSeconds(runtime)));
}

function token(request: ApiRequest): Reply {
  const { runtime } = request;
  const body = requireObject(request.body);
  checkClient(runtime, body, true);
  const now = runtime.now();
  if (body.grant_type === "refresh_token") {
    const grant = runtime.state.tokens.refresh(
      String(body.refresh_token ?? ""),
      now,
      tokenTtlSeconds(runtime),
    );
    return grant ? jsonReply(200, grant) : errorReply(401, "invalid_grant", INVALID_GRANT);
  }
  if (body.grant_type === "authorization_code") {
    const code = String(body.code ?? "");
    const slug = runtime.state.authorizationCodes.redeem(code, body.redirect_uri, body.code_verifier, now);
    return slug
      ? jsonReply(200, runtime.state.tokens.issue(slug, now, tokenTtlSeconds(runtime)))
      : errorReply(401, "invalid_grant", INVALID_GRANT);
  }
  return errorReply(400, "unsupported_grant_type", "grant_type must be refresh_token or authorization_code");
}

function revoke(request: ApiRequest): Reply {
  const { runtime } = request;
  const body = requireObject(request.body);
  checkClient(runtime, body, true);
  if (typeof body.token === "string") runtime.state.tokens.revoke(body.token);
  return jsonReply(200, {});
}

/** Authorization-code flow without a login page: the sandbox approves at once for `sandbox_user` and redirects. */
function authorize(request: ApiRequest): Reply {
  const { runtime, query } = request;
  if (query.get("client_id") !== runtime.config.clientId) {
    throw httpError(401, "invalid_client", "Unknown client_id.");
  }
  const redirectUri = query.get("redirect_uri");
  if (!redirectUri || !URL.canParse(redirectUri))
    throw httpError(400, "invalid_request", "redirect_uri is required");
  const slug = query.get("sandbox_user") ?? DEFAULT_AUTHORIZE_USER;
  ensureUser(runtime, slug);
  const code = runtime.state.authorizationCodes.issue(
    {
      slug,
      redirectUri,
      codeChallenge: query.get("code_challenge") ?? undefined,
      codeChallengeMethod: query.get("code_challenge_method") ?? undefined,
    },
    runtime.now(),
  );
  const target = new URL(redirectUri);
  target.searchParams.set("code", code);
  const state = query.get("state");
  if (state !== null) target.searchParams.set("state", state);
  return emptyReply(302, { Location: target.toString() });
}

function activatePage(request: ApiRequest): Reply {
  const base = request.runtime.baseUrl;
  return {
    status: 200,
    contentType: "text/plain; charset=utf-8",
    text:
      "Trakt sandbox: approve a device code with\n" +
      `  curl -X POST ${base}/_sandbox/device/approve -H 'Content-Type: application/json' ` +
      `-d '{"user_code":"XXXXXXXX","slug":"someone"}'\n`,
  };
}

export const oauthRoutes: ApiRoute[] = [
  { method: "POST", pattern: "/oauth/device/code", handler: deviceCode },
  { method: "POST", pattern: "/oauth/device/token", handler: deviceToken },
  { method: "POST", pattern: "/oauth/token", handler: token },
  { method: "POST", pattern: "/oauth/revoke", handler: revoke },
  { method: "GET", pattern: "/oauth/authorize", handler: authorize },
  { method: "GET", pattern: "/activate", handler: activatePage },
];
