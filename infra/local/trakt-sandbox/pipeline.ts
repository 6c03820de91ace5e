/**
 * How one request travels through the sandbox:
 *   control routes (`/_sandbox`, `/health`) → answered directly, never faulted or counted;
 *   everything else → "before" faults → headers (403) → route (404/405) → body (412/400) → token (401)
 *   → rate limit (429) → handler → "after" faults (only on 2xx) → answer.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { faultReply, truncatedReply } from "./faultReplies.ts";
import type { FaultOutcome, FaultPhase } from "./faults.ts";
import type { Reply } from "./http.ts";
import {
  emptyReply,
  errorReply,
  HttpError,
  httpError,
  isJsonContentType,
  isSuccess,
  parseBody,
  readBody,
  sendReply,
} from "./http.ts";
import type { SandboxUser } from "./model.ts";
import { rateLimitReply } from "./rateLimit.ts";
import { matchRoute, normalizePath } from "./router.ts";
import type { ApiRequest, ApiRoute } from "./routes/apiTypes.ts";
import type { Runtime } from "./state.ts";
import type { WriteLogEntry } from "./types.ts";

export interface RouteTables {
  api: ApiRoute[];
  oauth: ApiRoute[];
  control: ApiRoute[];
}

interface Incoming {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

interface Outcome {
  reply: Reply;
  /** Set when the request was a write that passed the rate limiter. */
  write?: WriteLogEntry;
}

const WRITE_METHODS = new Set(["POST", "PUT", "DELETE"]);

export async function handleRequest(
  runtime: Runtime,
  routes: RouteTables,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const incoming: Incoming = {
    method: (req.method ?? "GET").toUpperCase(),
    path: normalizePath(url.pathname),
    query: url.searchParams,
    headers: req.headers,
    rawBody: await readBody(req),
  };
  if (isControlPath(incoming.path)) {
    sendReply(res, handleControl(runtime, routes.control, incoming));
    return;
  }
  // The way there: Trakt (its rate limiter included) sees the request only when it arrives.
  await delay(runtime.state.latency.oneWayMs(runtime.config.latency));
  await handleTrakt(runtime, routes, incoming, res);
}

function isControlPath(path: string): boolean {
  return path === "/health" || path === "/_sandbox" || path.startsWith("/_sandbox/");
}

function isOAuthPath(path: string): boolean {
  return path.startsWith("/oauth/") || path === "/activate";
}

function handleControl(runtime: Runtime, routes: ApiRoute[], incoming: Incoming): Reply {
  return guarded(() => {
    const match = matchRoute(routes, incoming.method, incoming.path);
    if (match.kind !== "found") return unmatched(match);
    const body = parseBody(incoming.rawBody, undefined);
    return match.route.handler({ runtime, ...incoming, params: match.params, body });
  });
}

async function handleTrakt(runtime: Runtime, routes: RouteTables, incoming: Incoming, res: ServerResponse) {
  const user = identifyUser(runtime, incoming);
  runtime.state.stats.request(user, incoming.method);

  const before = await runFaults(runtime, "before", incoming, user);
  if (before.terminal) return finish(runtime, res, user, faultReply(before.terminal));

  const outcome = processRequest(runtime, routes, incoming);
  let reply: Reply | undefined = outcome.reply;
  if (isSuccess(reply.status)) {
    const after = await runFaults(runtime, "after", incoming, user);
    if (after.terminal?.kind === "truncated_read") reply = truncatedReply(reply);
    else if (after.terminal) reply = faultReply(after.terminal);
  }
  if (outcome.write) outcome.write.status = reply?.status ?? 0;
  await finish(runtime, res, user, reply);
}

/** Sends the reply after its way back, or destroys the connection when there is none. */
async function finish(
  runtime: Runtime,
  res: ServerResponse,
  user: string | undefined,
  reply: Reply | undefined,
): Promise<void> {
  await delay(runtime.state.latency.oneWayMs(runtime.config.latency));
  if (!reply) {
    res.socket?.destroy();
    return;
  }
  runtime.state.stats.response(user, reply.status);
  sendReply(res, reply);
}

async function runFaults(runtime: Runtime, phase: FaultPhase, incoming: Incoming, user: string | undefined) {
  const outcome: FaultOutcome = runtime.state.faults.evaluate(phase, {
    method: incoming.method,
    path: incoming.path,
    user,
  });
  for (const fired of outcome.fired) runtime.state.stats.fault(user, fired.kind);
  if (outcome.delayMs > 0) await sleep(outcome.delayMs);
  return outcome;
}

function processRequest(runtime: Runtime, routes: RouteTables, incoming: Incoming): Outcome {
  const outcome: Outcome = { reply: emptyReply(500) };
  outcome.reply = guarded(() => {
    const oauth = isOAuthPath(incoming.path);
    if (!oauth) checkApiHeaders(runtime, incoming.headers);
    const match = matchRoute(oauth ? routes.oauth : routes.api, incoming.method, incoming.path);
    if (match.kind !== "found") return unmatched(match);
    const body = readRequestBody(incoming, oauth);
    const request: ApiRequest = { runtime, ...incoming, params: match.params, body };
    if (!oauth) {
      request.viewer = authenticate(runtime, incoming, needsAuth(match.route, incoming, match.params));
      outcome.write = enforceRateLimits(runtime, incoming, request.viewer);
    }
    return match.route.handler(request);
  });
  return outcome;
}

function guarded(run: () => Reply): Reply {
  try {
    return run();
  } catch (error) {
    if (error instanceof HttpError) return error.reply;
    console.error("trakt sandbox: unexpected error", error);
    return errorReply(500, "server_error", error instanceof Error ? error.message : String(error));
  }
}

function unmatched(match: { kind: "not_found" } | { kind: "method_not_allowed"; allowed: string[] }): Reply {
  if (match.kind === "not_found") return errorReply(404, "not_found", "No such route.");
  return {
    ...errorReply(405, "method_not_allowed", "Method not allowed."),
    headers: { Allow: match.allowed.join(", ") },
  };
}

function checkApiHeaders(runtime: Runtime, headers: IncomingHttpHeaders): void {
  if (headers["trakt-api-key"] !== runtime.config.clientId) {
    throw httpError(403, "forbidden", "Invalid API key or unapproved app.");
  }
  if (headers["trakt-api-version"] !== "2")
    throw httpError(400, "bad_request", "trakt-api-version must be 2.");
}

function readRequestBody(incoming: Incoming, oauth: boolean): unknown {
  const contentType = incoming.headers["content-type"];
  const hasBody = incoming.rawBody.trim() !== "";
  if (hasBody && !oauth && !isJsonContentType(contentType)) {
    throw httpError(412, "precondition_failed", "Content-Type must be application/json.");
  }
  return parseBody(incoming.rawBody, oauth ? contentType : undefined);
}

function isWrite(incoming: Incoming): boolean {
  return WRITE_METHODS.has(incoming.method) && incoming.path.startsWith("/users/");
}

function needsAuth(route: ApiRoute, incoming: Incoming, params: Record<string, string>): boolean {
  return route.requiresAuth === true || isWrite(incoming) || params.id === "me";
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1];
}

/** The token's user; 401 when a token is required but missing, or when a sent token is unknown, revoked or expired. */
function authenticate(runtime: Runtime, incoming: Incoming, required: boolean): SandboxUser | undefined {
  const token = bearerToken(incoming.headers);
  if (token === undefined) {
    if (required) throw unauthorized("An access token is required.");
    return undefined;
  }
  const result = runtime.state.tokens.authenticate(token, runtime.now());
  if (!result.ok)
    throw unauthorized(`The access token is ${result.reason === "expired" ? "expired" : "invalid"}.`);
  const user = runtime.state.users.get(result.slug);
  if (!user) throw unauthorized("The access token is invalid.");
  return user;
}

function unauthorized(description: string): HttpError {
  return new HttpError({
    ...errorReply(401, "invalid_token", description),
    headers: {
      "WWW-Authenticate": `Bearer realm="trakt", error="invalid_token", error_description="${description}"`,
    },
  });
}

/** 429 when over a limit; for an accepted write, logs it and returns the log entry. */
function enforceRateLimits(
  runtime: Runtime,
  incoming: Incoming,
  viewer: SandboxUser | undefined,
): WriteLogEntry | undefined {
  if (!viewer) return undefined;
  const { state, config } = runtime;
  const now = runtime.now();
  if (isWrite(incoming)) {
    const rejection = state.rateLimiter.checkWrite(viewer.slug, now, config.writeIntervalMs);
    if (rejection) throw new HttpError(rateLimitReply(rejection));
    const entry: WriteLogEntry = {
      at: now,
      method: incoming.method,
      path: incoming.path,
      user: viewer.slug,
      status: 0,
    };
    state.writes.push(entry);
    state.stats.acceptedWrite(viewer.slug);
    return entry;
  }
  if (incoming.method === "GET") {
    const rejection = state.rateLimiter.checkGet(viewer.slug, now, config.getLimit);
    if (rejection) throw new HttpError(rateLimitReply(rejection));
  }
  return undefined;
}

/** The user a request acts for, without side effects: the bearer token's user, else the `/users/:slug` in the path. */
function identifyUser(runtime: Runtime, incoming: Incoming): string | undefined {
  const token = bearerToken(incoming.headers);
  if (token) {
    const result = runtime.state.tokens.authenticate(token, runtime.now());
    if (result.ok) return result.slug;
  }
  if (incoming.path === "/oauth/token") return refreshTokenOwner(runtime, incoming.rawBody);
  const slug = /^\/users\/([^/]+)/.exec(incoming.path)?.[1];
  return slug && slug !== "me" && slug !== "settings" ? slug : undefined;
}

function refreshTokenOwner(runtime: Runtime, rawBody: string): string | undefined {
  try {
    const body = JSON.parse(rawBody) as { refresh_token?: unknown };
    return typeof body.refresh_token === "string"
      ? runtime.state.tokens.refreshTokenOwner(body.refresh_token)
      : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function delay(ms: number): Promise<void> | undefined {
  return ms > 0 ? sleep(ms) : undefined;
}
