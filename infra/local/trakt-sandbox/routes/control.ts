import type { SandboxConfig } from "../config.ts";
import * as control from "../control.ts";
import { parseFaultConfig } from "../faults.ts";
import type { Reply } from "../http.ts";
import { emptyReply, httpError, jsonReply, requireObject } from "../http.ts";
import type { CreateUserOptions, SandboxConfigPatch } from "../types.ts";
import { parseLimits, validateSlug } from "../users.ts";
import type { ApiRequest, ApiRoute } from "./apiTypes.ts";

function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw httpError(400, "bad_request", `${field} is required`);
  return value;
}

function numberArray(value: unknown, field: string): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((id) => Number.isInteger(id))) {
    throw httpError(400, "bad_request", `${field} must be an array of tmdb ids`);
  }
  return value as number[];
}

function createUser({ runtime, body }: ApiRequest): Reply {
  const input = requireObject(body);
  const slug = validateSlug(input.slug);
  const options: CreateUserOptions = { limits: parseLimits(input.limits) };
  if (input.vip !== undefined) options.vip = input.vip === true;
  return jsonReply(201, control.createUser(runtime, slug, options));
}

function userLists({ runtime, params }: ApiRequest): Reply {
  const lists = control.listsOf(runtime, params.slug ?? "");
  if (!lists) throw httpError(404, "not_found", `User ${params.slug} not found.`);
  return jsonReply(200, lists);
}

function setUserLimits({ runtime, params, body }: ApiRequest): Reply {
  return jsonReply(200, control.setUserLimits(runtime, params.slug ?? "", parseLimits(requireObject(body))));
}

function expireTokens({ runtime, params }: ApiRequest): Reply {
  return jsonReply(200, { expired: control.expireTokens(runtime, params.slug ?? "") });
}

function approveDevice({ runtime, body }: ApiRequest): Reply {
  const input = requireObject(body);
  control.approveDevice(runtime, stringField(input, "user_code"), validateSlug(input.slug));
  return jsonReply(200, { approved: true });
}

function denyDevice({ runtime, body }: ApiRequest): Reply {
  control.denyDevice(runtime, stringField(requireObject(body), "user_code"));
  return jsonReply(200, { denied: true });
}

function writes({ runtime, query }: ApiRequest): Reply {
  return jsonReply(200, control.writeLog(runtime, query.get("user") ?? undefined));
}

function faults({ runtime }: ApiRequest): Reply {
  return jsonReply(200, runtime.state.faults.describe());
}

function setFaults(request: ApiRequest): Reply {
  control.setFaults(request.runtime, parseFaultConfig(request.body));
  return faults(request);
}

function clearFaults({ runtime }: ApiRequest): Reply {
  control.clearFaults(runtime);
  return emptyReply(204);
}

function configure({ runtime, body }: ApiRequest): Reply {
  return jsonReply(200, control.configure(runtime, requireObject(body) as SandboxConfigPatch));
}

function markUnknown({ runtime, body }: ApiRequest): Reply {
  const input = requireObject(body);
  control.markUnknown(runtime, {
    movies: numberArray(input.movies, "movies"),
    shows: numberArray(input.shows, "shows"),
  });
  return jsonReply(200, { ok: true });
}

/** The control routes; `initialConfig` is what `POST /_sandbox/reset` restores. */
export function controlRoutes(initialConfig: SandboxConfig): ApiRoute[] {
  const reset = ({ runtime }: ApiRequest): Reply => {
    control.reset(runtime, initialConfig);
    return jsonReply(200, { ok: true });
  };
  return [
    { method: "GET", pattern: "/health", handler: () => jsonReply(200, { status: "ok" }) },
    { method: "POST", pattern: "/_sandbox/users", handler: createUser },
    { method: "GET", pattern: "/_sandbox/users/:slug/lists", handler: userLists },
    { method: "POST", pattern: "/_sandbox/users/:slug/limits", handler: setUserLimits },
    { method: "POST", pattern: "/_sandbox/users/:slug/expire-tokens", handler: expireTokens },
    { method: "POST", pattern: "/_sandbox/device/approve", handler: approveDevice },
    { method: "POST", pattern: "/_sandbox/device/deny", handler: denyDevice },
    { method: "GET", pattern: "/_sandbox/writes", handler: writes },
    {
      method: "GET",
      pattern: "/_sandbox/stats",
      handler: ({ runtime }) => jsonReply(200, control.stats(runtime)),
    },
    { method: "GET", pattern: "/_sandbox/faults", handler: faults },
    { method: "PUT", pattern: "/_sandbox/faults", handler: setFaults },
    { method: "DELETE", pattern: "/_sandbox/faults", handler: clearFaults },
    { method: "GET", pattern: "/_sandbox/config", handler: ({ runtime }) => jsonReply(200, runtime.config) },
    { method: "PUT", pattern: "/_sandbox/config", handler: configure },
    { method: "POST", pattern: "/_sandbox/unknown-ids", handler: markUnknown },
    { method: "POST", pattern: "/_sandbox/reset", handler: reset },
  ];
}
