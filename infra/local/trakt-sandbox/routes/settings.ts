import { jsonReply } from "../http.ts";
import { settingsJson } from "../users.ts";
import { resolveOwner } from "./access.ts";
import type { ApiRoute } from "./apiTypes.ts";

export const settingsRoutes: ApiRoute[] = [
  {
    method: "GET",
    pattern: "/users/settings",
    requiresAuth: true,
    handler: (request) => jsonReply(200, settingsJson(resolveOwner(request))),
  },
];
