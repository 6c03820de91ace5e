import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { traktDefaults } from "#config/env.ts";
import { signLocalToken } from "./localJwt.ts";

/**
 * LOCAL STACK ONLY, never deployed: the web page's files and the `POST /_local/token` sign-in route.
 * In AWS the page is served from S3 behind CloudFront and people sign in with Cognito; the CDK stack
 * has no such route (test/infra proves it).
 */
export const localTokenPath = "/_local/token";

const userNamePattern = /^[A-Za-z0-9._@-]{1,64}$/;
const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

export interface LocalWebOptions {
  /** The built page (web/dist). */
  webDir: string;
  signingKey: Uint8Array;
  /** Link to a user's Trakt list: `{user}` and `{list}` are replaced (the sandbox shows all lists as JSON). */
  traktListUrl?: string;
}

/** Answers the request when it is for the page or the local sign-in route; false lets the API answer. */
export async function serveLocalWeb(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: Buffer,
  options: LocalWebOptions,
): Promise<boolean> {
  const method = request.method ?? "GET";
  if (url.pathname === localTokenPath && method === "POST") {
    await issueLocalToken(response, body, options.signingKey);
    return true;
  }
  if (method !== "GET" && method !== "HEAD") return false;
  if (url.pathname === "/config.json") {
    const config = { ...localPageConfig, traktListUrl: options.traktListUrl ?? traktDefaults.listUrl };
    send(response, 200, contentTypes[".json"]!, JSON.stringify(config));
    return true;
  }
  const file = url.pathname === "/" ? "index.html" : url.pathname.slice(1);
  if (!(file === "index.html" || file.startsWith("assets/"))) return false;
  const path = normalize(join(options.webDir, file));
  if (!path.startsWith(normalize(options.webDir))) return false;
  try {
    const content = await readFile(path);
    send(response, 200, contentTypes[extname(path)] ?? "application/octet-stream", content);
  } catch {
    const missing =
      file === "index.html" ? "The page is not built: run `npm run build:web` (npm start does it)." : "";
    send(
      response,
      404,
      "application/json",
      JSON.stringify({ error: { code: "not_found", message: missing || "Not found" } }),
    );
  }
  return true;
}

/** What the page reads from /config.json on the local stack (CDK writes the AWS one). */
export const localPageConfig = { auth: { mode: "local", tokenUrl: localTokenPath }, apiBaseUrl: "" } as const;

async function issueLocalToken(response: ServerResponse, body: Buffer, key: Uint8Array): Promise<void> {
  let userName: unknown;
  try {
    userName = (JSON.parse(body.toString("utf8") || "{}") as { userName?: unknown }).userName;
  } catch {
    userName = undefined;
  }
  if (typeof userName !== "string" || !userNamePattern.test(userName.trim())) {
    const message = "User name: 1–64 letters, digits, dots, dashes, underscores or @";
    send(
      response,
      400,
      "application/json",
      JSON.stringify({ error: { code: "invalid_request", message, field: "userName" } }),
    );
    return;
  }
  const userId = userName.trim();
  const token = await signLocalToken(userId, key);
  send(response, 200, "application/json", JSON.stringify({ token, userId }));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { "content-type": type, "cache-control": "no-cache" });
  response.end(body);
}
