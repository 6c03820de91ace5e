import { describe, expect, it } from "vitest";
import { apiRoutes } from "#infra/stacks/apiRoutes.ts";
import { routeHandlers } from "#lambdas/api/routeHandlers.ts";

const routeKeys = apiRoutes.map((route) => `${route.method} ${route.path}`);

describe("API routes and handlers", () => {
  it("has a handler for every route in the route table", () => {
    // Prepare
    const handled = new Set(Object.keys(routeHandlers));

    // Act
    const unhandled = routeKeys.filter((key) => !handled.has(key));

    // Assess
    expect(unhandled).toEqual([]);
  });

  it("has no handler without a route in the route table", () => {
    // Prepare
    const routed = new Set(routeKeys);

    // Act
    const unrouted = Object.keys(routeHandlers).filter((key) => !routed.has(key));

    // Assess
    expect(unrouted).toEqual([]);
  });

  it("lists each route only once", () => {
    // Prepare
    const keys = routeKeys;

    // Act
    const distinct = new Set(keys);

    // Assess
    expect(distinct.size).toBe(keys.length);
  });

  it("maps every route key to a function", () => {
    // Prepare
    const handlers = Object.entries(routeHandlers);

    // Act
    const notFunctions = handlers.filter(([, handler]) => typeof handler !== "function").map(([key]) => key);

    // Assess
    expect(handlers.length).toBeGreaterThan(0);
    expect(notFunctions).toEqual([]);
  });

  it("leaves only the health check public", () => {
    // Prepare
    const routes = apiRoutes;

    // Act
    const publicRoutes = routes
      .filter((route) => !route.auth)
      .map((route) => `${route.method} ${route.path}`);

    // Assess
    expect(publicRoutes).toEqual(["GET /health"]);
  });
});
