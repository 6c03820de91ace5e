import { json, type RouteHandler } from "../http.ts";

export const health: RouteHandler = async () => {
  return json(200, { status: "ok" });
};
