import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { z } from "zod";
import { listIdPattern } from "./schemas.ts";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;
/** What answers one API route. */
export type RouteHandler = (event: ApiEvent) => Promise<ApiResult>;

/** The largest request body we read; anything bigger is refused before parsing. */
export const maxBodyBytes = 1024 * 1024;

/** An answer other than success: status, a stable code, words for a person, and the field at fault. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** The limit a 403 `quota_exceeded` or a 429 hit: its setting's name and value. */
  limit?: { name: string; value: number };
  /** Seconds to wait, sent as `Retry-After` (429). */
  retryAfterSeconds?: number;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** 403 `quota_exceeded`: the user reached a per-user limit; `limit` names it. */
export function quotaExceeded(name: string, value: number, message: string, field?: string): ApiError {
  const error = new ApiError(403, "quota_exceeded", message, field);
  error.limit = { name, value };
  return error;
}

/** 429 `rate_limited` with `Retry-After`. */
export function rateLimited(
  retryAfterSeconds: number,
  message: string,
  limit?: { name: string; value: number },
  field?: string,
): ApiError {
  const error = new ApiError(429, "rate_limited", message, field);
  error.retryAfterSeconds = retryAfterSeconds;
  if (limit) error.limit = limit;
  return error;
}

export const notFound = (what = "list") => new ApiError(404, "not_found", `No such ${what}`);
export const badRequest = (field: string, message: string) =>
  new ApiError(400, "invalid_request", message, field);

export function json(statusCode: number, body?: unknown): ApiResult {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

export function errorResult(error: ApiError): ApiResult {
  const result = json(error.status, {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.limit ? { limit: error.limit } : {}),
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    },
  });
  if (error.retryAfterSeconds !== undefined) {
    result.headers = { ...result.headers, "retry-after": String(error.retryAfterSeconds) };
  }
  return result;
}

/** The caller's user id: the JWT's `sub`, checked by the API Gateway JWT authorizer (or the local one). */
export function callerId(event: ApiEvent): string {
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== "string" || sub.length === 0)
    throw new ApiError(401, "unauthorized", "Missing or invalid token");
  return sub;
}

/** What each path parameter may look like; anything else names nothing we have (404, never a 500). */
const pathParamPatterns: Readonly<Record<string, RegExp>> = {
  id: listIdPattern,
  mediaType: /^(movie|show)$/,
  // The item route's last segment: a TMDB id, or an IMDb id (`DELETE /lists/{id}/items/{mediaType}/{imdbId}`).
  tmdbId: /^([1-9][0-9]{0,9}|tt[0-9]{7,10})$/,
};

export function pathParam(event: ApiEvent, name: string): string {
  const value = event.pathParameters?.[name];
  const pattern = pathParamPatterns[name];
  if (!value || (pattern && !pattern.test(value))) throw notFound(name === "id" ? "list" : "item");
  return value;
}

/** Parses and validates a JSON body; any problem is a 400 naming the field. */
export function parseBody<S extends z.ZodType>(
  event: ApiEvent,
  schema: S,
  options: { optional?: boolean } = {},
): z.infer<S> {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, "base64").toString("utf8")
      : event.body
    : "";
  if (Buffer.byteLength(raw, "utf8") > maxBodyBytes) {
    throw badRequest("body", `The request body is larger than ${maxBodyBytes} bytes`);
  }
  let value: unknown = {};
  if (raw.trim() !== "") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw badRequest("body", "The request body is not valid JSON");
    }
  } else if (!options.optional) {
    throw badRequest("body", "A JSON request body is required");
  }
  return validate(schema, value);
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = [...issue.path];
  if (issue.code === "unrecognized_keys") path.push(issue.keys[0]!);
  const field = path.length > 0 ? path.map(String).join(".") : "body";
  const message =
    issue.code === "unrecognized_keys" ? `Unknown field "${field}"` : `${field}: ${issue.message}`;
  throw badRequest(field, message);
}
