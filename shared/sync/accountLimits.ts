import type { AccountLimitInfo } from "#domain/list.ts";
import type { TraktHttpError } from "./traktErrors.ts";
import type { TraktSession } from "./traktSession.ts";

/**
 * What a 420 tells about the account limit it hit. Its headers (`X-Account-Limit`, `X-VIP-User`,
 * `X-Upgrade-URL`) when Trakt sent them; `GET /users/settings` only for what they leave out.
 */
export async function limitFrom420(
  session: TraktSession,
  error: TraktHttpError,
  hit: "listCount" | "itemCount",
  wanted: number,
): Promise<AccountLimitInfo> {
  const headers = error.accountLimit ?? {};
  const fromHeaders: AccountLimitInfo = {
    ...(headers.limit !== undefined ? { [hit]: headers.limit } : {}),
    pushed: 0,
    wanted,
    ...(headers.vip !== undefined ? { vip: headers.vip } : {}),
    ...(headers.upgradeUrl !== undefined ? { upgradeUrl: headers.upgradeUrl } : {}),
  };
  if (headers.limit !== undefined && headers.vip !== undefined) return fromHeaders;
  const settings = await readLimits(session, wanted).catch(() => undefined);
  return { ...settings, ...fromHeaders, pushed: 0, wanted };
}

/** The account's limits from `GET /users/settings`. */
export async function readLimits(session: TraktSession, wanted: number): Promise<AccountLimitInfo> {
  const settings = await session.getSettings();
  const listLimits = settings.limits?.list ?? {};
  const vip = settings.account?.vip;
  return {
    ...(listLimits.count !== undefined ? { listCount: listLimits.count } : {}),
    ...(listLimits.item_count !== undefined ? { itemCount: listLimits.item_count } : {}),
    pushed: 0,
    wanted,
    ...(vip !== undefined ? { vip } : {}),
  };
}

/** Why a list is only partly on Trakt, and what the user can do: a VIP cannot upgrade, a free user can. */
export function itemLimitMessage(limit: AccountLimitInfo, pushed: number): string {
  const shown = `Only the top ${pushed} of ${limit.wanted} items are on Trakt.`;
  if (limit.itemCount === undefined)
    return `${shown} Upgrade on Trakt${limit.upgradeUrl ? ` (${limit.upgradeUrl})` : ""} or lower the list's item limit.`;
  if (limit.vip)
    return `${shown} Trakt allows ${limit.itemCount} items per list even on your VIP account. Lower the list's item limit to keep it whole on Trakt.`;
  const upgrade = limit.upgradeUrl ? `Upgrade to VIP at ${limit.upgradeUrl}` : "Upgrade on Trakt";
  return `${shown} Trakt allows ${limit.itemCount} items per list on this account. ${upgrade} or lower the list's item limit.`;
}
