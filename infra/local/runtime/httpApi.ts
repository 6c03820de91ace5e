import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { type ApiRoute, apiRoutes } from "#infra/stacks/apiRoutes.ts";
import { type InvocationCounter, timedInvocation } from "./lambdaContext.ts";
import { verifyLocalToken } from "./localJwt.ts";
import { serveLocalWeb } from "./localWeb.ts";
import { SlotQueue } from "./slotQueue.ts";
import type { HandlerRuntime } from "./workerInvoker.ts";

export type ApiRuntime = HandlerRuntime<
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2
>;

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
}

/** Most request bodies API Gateway passes on (10 MB); bigger ones it refuses itself. */
const gatewayBodyLimit = 10 * 1024 * 1024;

export interface HttpApiOptions {
  port: number;
  /** Runs the `api` function: in this thread (`inProcessRuntime`), or in a `WorkerPool` of `concurrency` workers. */
  runtime: ApiRuntime;
  /** Invocations the runtime takes at once (its slots); requests beyond wait for a free one. Unset: no bound. */
  concurrency?: number;
  signingKey: Uint8Array;
  invocations?: InvocationCounter;
  /** The web page's folder (web/dist): serves the page and the local-only sign-in route. */
  webDir?: string;
  traktListUrl?: string;
}

type Claims = Record<string, string | number | boolean | string[]>;

/**
 * The HTTP API, run locally: the same routes as the CDK stack (infra/stacks/apiRoutes.ts), the JWT
 * check its authorizer makes, and API Gateway's payload format 2.0 events for the `api` function.
 */
export async function startHttpApi(
  options: HttpApiOptions,
): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const routes = apiRoutes.map(compile);
  const slots = options.concurrency === undefined ? undefined : new SlotQueue(options.concurrency);
  const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
    const slot = slots ? await slots.take() : 0;
    try {
      // Timed once it has its slot: a request waiting for a free worker is not billed, as in Lambda.
      return await timedInvocation(options.invocations, "api", () => options.runtime.invoke(slot, event));
    } finally {
      slots?.give(slot);
    }
  };
  const server = createServer((request, response) => {
    serve(request, response, routes, options, invoke).catch((error: unknown) => {
      send(response, 500, gatewayError("internal_error", `Internal Server Error: ${String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One request as API Gateway handles it: size limit, route, JWT check, then the `api` function. */
async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  routes: CompiledRoute[],
  options: HttpApiOptions,
  invoke: (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const body = await readBody(request);
  if (body === undefined)
    return send(response, 413, gatewayError("payload_too_large", "Request Entity Too Large"));
  const { webDir, signingKey, traktListUrl } = options;
  if (webDir && (await serveLocalWeb(request, response, url, body, { webDir, signingKey, traktListUrl })))
    return;
  // Unknown routes go to the api function as `$default`, as the stack's public $default route sends them.
  const match = findRoute(routes, request.method ?? "GET", url.pathname) ?? { route: undefined, params: {} };
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(",") : value,
    ]),
  ) as Record<string, string>;
  let claims: Claims | undefined;
  if (match.route?.auth) {
    claims = await verifyLocalToken(headers.authorization, options.signingKey);
    if (!claims) return send(response, 401, gatewayError("unauthorized", "Missing or invalid token"));
  }
  const event = gatewayEvent(request, url, body, headers, match, claims);
  const result = await invoke(event);
  response.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
  response.end(result.body ?? "");
}

/** The payload format 2.0 event API Gateway sends for this request (lower-cased headers, as Node gives them). */
function gatewayEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
  match: { route: ApiRoute | undefined; params: Record<string, string> },
  claims: Claims | undefined,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const routeKey = match.route ? `${match.route.method} ${match.route.path}` : "$default";
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    headers,
    ...(url.searchParams.size > 0 ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(Object.keys(match.params).length > 0 ? { pathParameters: match.params } : {}),
    ...(body.length > 0 ? { body: body.toString("utf8") } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      authorizer: {
        principalId: "",
        integrationLatency: 0,
        jwt: { claims: (claims ?? {}) as never, scopes: [] },
      },
    },
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

function compile(route: ApiRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

/** API Gateway prefers literal segments over parameters (/lists/verification over /lists/{id}). */
function findRoute(routes: CompiledRoute[], method: string, path: string) {
  const candidates = routes
    .filter((compiled) => compiled.route.method === method)
    .map((compiled) => ({ compiled, found: compiled.pattern.exec(path) }))
    .filter((candidate) => candidate.found !== null)
    .sort((a, b) => a.compiled.names.length - b.compiled.names.length);
  const best = candidates[0];
  if (!best?.found) return undefined;
  const params = Object.fromEntries(
    best.compiled.names.map((name, i) => [name, decodeURIComponent(best.found![i + 1]!)]),
  );
  return { route: best.compiled.route, params };
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > gatewayBodyLimit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The gateway's own answers carry the API's one error shape, `{"error":{"code","message"}}`. */
function gatewayError(code: string, message: string) {
  return { error: { code, message } };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
