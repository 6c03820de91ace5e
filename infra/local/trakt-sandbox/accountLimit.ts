import { HttpError } from "./http.ts";
import type { SandboxUser } from "./model.ts";
import type { Runtime } from "./state.ts";

/**
 * The 420 "account limit exceeded" answer. Like Trakt usually does, it has no body and no headers by default; with
 * `verbose420` it carries Trakt's X-Upgrade-URL / X-VIP-User / X-Account-Limit headers and a JSON body.
 */
export function accountLimitError(
  runtime: Runtime,
  user: SandboxUser,
  limit: number,
  what: string,
): HttpError {
  if (!runtime.config.verbose420) return new HttpError({ status: 420 });
  return new HttpError({
    status: 420,
    json: { error: "account_limit_exceeded", error_description: `${what} limit of ${limit} reached.` },
    headers: {
      "X-Upgrade-URL": "https://trakt.tv/vip",
      "X-VIP-User": String(user.vip),
      "X-Account-Limit": String(limit),
    },
  });
}
