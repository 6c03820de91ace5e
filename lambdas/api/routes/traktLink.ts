import { logger } from "../../../shared/runtime/observability.ts";
import { getServices } from "../../../shared/runtime/services.ts";
import { type ApiEvent, type ApiResult, callerId, json } from "../http.ts";

/** What the user's Trakt link looks like now: `linked`, `unlinked`, `pending` (device flow started) or `relink_required`. */
export async function getTraktLink(event: ApiEvent): Promise<ApiResult> {
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
}

export const unlinkedMessage = "Trakt is not linked. Link Trakt again; the list syncs by itself afterwards.";

/**
 * Unlinks Trakt: forgets the tokens, revokes them at Trakt (a failure there is logged, the tokens
 * are forgotten anyway), and every list of the user becomes `auth_required` until Trakt is linked again.
 */
export async function unlinkTrakt(event: ApiEvent): Promise<ApiResult> {
  const userId = callerId(event);
  const { users, lists, trakt } = getServices();
  const tokens = await users.unlink(userId);
  const client = await trakt();
  for (const token of [tokens?.accessToken, tokens?.refreshToken]) {
    if (!token) continue;
    await client.revokeToken(token).catch((error: unknown) => {
      logger.warn("Revoking the Trakt token failed; it is forgotten here anyway", { error });
    });
  }
  const at = new Date().toISOString();
  const userLists = await lists.listByUser(userId);
  for (const list of userLists) {
    await lists.recordSyncFailure(userId, list.listId, {
      state: "auth_required",
      error: { code: "trakt_unlinked", message: unlinkedMessage, at },
    });
  }
  logger.info("Trakt unlinked", { revoked: Boolean(tokens?.accessToken), lists: userLists.length });
  return json(200, { linked: false, state: "unlinked", listsAwaitingLink: userLists.length });
}
