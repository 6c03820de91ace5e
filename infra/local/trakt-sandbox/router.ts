/** A tiny path router: `/users/:id/lists/:list_id` patterns, optional per-parameter constraints, 404 vs 405. */

export interface Route<H> {
  method: string;
  pattern: string;
  handler: H;
  constraints?: Record<string, RegExp>;
}

export type RouteMatch<R> =
  | { kind: "found"; route: R; params: Record<string, string> }
  | { kind: "method_not_allowed"; allowed: string[] }
  | { kind: "not_found" };

export function normalizePath(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
}

export function matchRoute<R extends Route<unknown>>(
  routes: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route, path);
    if (!params) continue;
    if (route.method === method) return { kind: "found", route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: "method_not_allowed", allowed } : { kind: "not_found" };
}

function matchPattern(route: Route<unknown>, path: string): Record<string, string> | undefined {
  const wanted = route.pattern.split("/");
  const actual = path.split("/");
  if (wanted.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const value = actual[index] ?? "";
    if (!segment.startsWith(":")) {
      if (segment !== value) return undefined;
      continue;
    }
    const name = segment.slice(1);
    const decoded = safeDecode(value);
    if (decoded === undefined || decoded === "") return undefined;
    if (route.constraints?.[name] && !route.constraints[name].test(decoded)) return undefined;
    params[name] = decoded;
  }
  return params;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
