import { unlinkTrakt as unlinkTraktAccount } from "#account/traktLink.ts";
import { logger } from "#observability/observability.ts";
import { getServices } from "#runtime/services.ts";
import { callerId, json, type RouteHandler } from "../http.ts";

/** What the user's Trakt link looks like now: `linked`, `unlinked`, `pending` (device flow started) or `relink_required`. */
export const getTraktLink: RouteHandler = async (event) => {
  const profile = await getServices().users.getProfile(callerId(event));
  const state = profile?.traktLinkState ?? "unlinked";
  return json(200, {
    state,
    linked: state === "linked",
    traktUsername: state === "linked" ? (profile?.traktUsername ?? null) : null,
    traktSlug: state === "linked" ? (profile?.traktSlug ?? null) : null,
    linkedAt: profile?.linkedAt ?? null,
    relinkReason: profile?.relinkReason ?? null,
  });
};

/**
 * Unlinks Trakt: revokes the token at Trakt (`POST /oauth/revoke`; a failure there is logged, the
 * tokens are forgotten anyway), forgets both tokens, and every list of the user becomes
 * `auth_required` until Trakt is linked again.
 */
export const unlinkTrakt: RouteHandler = async (event) => {
  const userId = callerId(event);
  const outcome = await unlinkTraktAccount(
    { ...getServices(), log: (message, details) => logger.warn(message, details) },
    userId,
  );
  logger.info("Trakt unlinked", { ...outcome });
  return json(200, {
    linked: false,
    state: "unlinked",
    ...outcome,
    listsAwaitingLink: outcome.listsAffected,
  });
};
