import type { IncomingMessage, ServerResponse } from "node:http";

/** What a route answers; written to the socket by `sendReply`. A reply with neither `json` nor `text` has no body and no Content-Type. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Thrown by routes and domain code to answer with `reply` instead of a normal result. */
export class HttpError extends Error {
  readonly reply: Reply;

  constructor(reply: Reply) {
    super(`HTTP ${reply.status}`);
    this.reply = reply;
  }
}

export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): Reply {
  return { status, json, headers };
}

export function emptyReply(status: number, headers?: Record<string, string>): Reply {
  return { status, headers };
}

export function errorReply(status: number, error: string, description?: string): Reply {
  return jsonReply(status, description === undefined ? { error } : { error, error_description: description });
}

export function httpError(status: number, error: string, description?: string): HttpError {
  return new HttpError(errorReply(status, error, description));
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON (or, for OAuth, form-encoded) body; an empty body is `undefined`, anything unparseable a 400. */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw.trim() === "") return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw httpError(400, "bad_request", "The request body is not valid JSON.");
  }
}

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().includes("json") ?? false;
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  let payload: string | undefined;
  let contentType = reply.contentType;
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    contentType ??= "application/json; charset=utf-8";
  } else if (reply.text !== undefined) {
    payload = reply.text;
  }
  if (payload === undefined) res.sendDate = false;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (payload !== undefined && contentType) headers["Content-Type"] = contentType;
  if (reply.status !== 204) headers["Content-Length"] = Buffer.byteLength(payload ?? "");
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : payload);
}

/** Narrows an unknown JSON value to a plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function requireObject(value: unknown, what = "body"): Record<string, unknown> {
  if (value === undefined) return {};
  const object = asObject(value);
  if (!object) throw httpError(400, "bad_request", `The ${what} must be a JSON object.`);
  return object;
}
