import type { IncomingHttpHeaders } from "node:http";
import type { Reply } from "../http.ts";
import type { SandboxUser } from "../model.ts";
import type { Route } from "../router.ts";
import type { Runtime } from "../state.ts";

export interface ApiRequest {
  runtime: Runtime;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The user of the bearer token, when one was sent and is valid. */
  viewer?: SandboxUser;
}

export type ApiHandler = (request: ApiRequest) => Reply;

export interface ApiRoute extends Route<ApiHandler> {
  /** Needs a bearer token even for a GET (writes and `/users/me/...` always do). */
  requiresAuth?: boolean;
}
