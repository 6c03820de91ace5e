/**
 * The HTTP API's route table: the CDK stack creates one API Gateway route per entry and the local
 * HTTP server serves the very same list, so the two cannot drift apart. Every route is handled by
 * the single `api` function. `auth: true` routes need a valid JWT (the stack's default authorizer);
 * `auth: false` routes are public.
 *
 * Plain data only: this file must not import aws-cdk-lib (the local server imports it too).
 */
export type ApiRouteMethod = "GET" | "POST" | "PATCH" | "DELETE";

export type ApiRoute = {
  readonly method: ApiRouteMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  readonly auth: boolean;
};

export const apiRoutes: readonly ApiRoute[] = [
  { method: "GET", path: "/health", auth: false },
  { method: "GET", path: "/catalog/genres", auth: true },
  { method: "POST", path: "/trakt/device-code", auth: true },
  { method: "POST", path: "/trakt/device-token", auth: true },
  { method: "DELETE", path: "/account", auth: true },
  { method: "POST", path: "/lists", auth: true },
  { method: "POST", path: "/lists/preview", auth: true },
  { method: "GET", path: "/lists", auth: true },
  { method: "GET", path: "/lists/verification", auth: true },
  { method: "GET", path: "/lists/{id}", auth: true },
  { method: "PATCH", path: "/lists/{id}", auth: true },
  { method: "DELETE", path: "/lists/{id}", auth: true },
  { method: "GET", path: "/lists/{id}/items", auth: true },
  { method: "POST", path: "/lists/{id}/items", auth: true },
  // `{tmdbId}` also takes an IMDb id (`tt0111161`): see lambdas/api/routes/items.ts.
  { method: "DELETE", path: "/lists/{id}/items/{mediaType}/{tmdbId}", auth: true },
  { method: "POST", path: "/lists/{id}/sync", auth: true },
  { method: "GET", path: "/lists/{id}/changes", auth: true },
  { method: "GET", path: "/trakt/link", auth: true },
  { method: "DELETE", path: "/trakt/link", auth: true },
  { method: "GET", path: "/catalog", auth: true },
  { method: "GET", path: "/catalog/search", auth: true },
];
