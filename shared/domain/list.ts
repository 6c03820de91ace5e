import type { CustomListFilters } from "./filters.ts";
import type { NotFoundItem } from "./item.ts";

export const listTypes = ["custom", "manual"] as const;
export type ListType = (typeof listTypes)[number];

export const privacies = ["private", "link", "friends", "public"] as const;
export type Privacy = (typeof privacies)[number];

/**
 * Where a list stands with Trakt.
 * - pending: created, Trakt list or first sync not done yet
 * - syncing: a sync is running
 * - synced: Trakt holds our items (minus the not-found ones)
 * - failed: the last sync failed; it is retried automatically
 * - limited: Trakt's account limits keep part of the list off Trakt (see `limit`)
 * - auth_required: the user must link Trakt again
 * - account_locked / vip_required: Trakt refuses the account; the user must act on Trakt
 */
export const syncStates = [
  "pending",
  "syncing",
  "synced",
  "failed",
  "limited",
  "auth_required",
  "account_locked",
  "vip_required",
] as const;
export type SyncState = (typeof syncStates)[number];

export interface SyncError {
  code: string;
  message: string;
  at: string;
}

/** Trakt's account limits as they applied to the last sync of a limited list. */
export interface AccountLimitInfo {
  listCount?: number;
  itemCount?: number;
  /** Items on Trakt after the sync. */
  pushed: number;
  /** Items we wanted on Trakt. */
  wanted: number;
  /** Whether Trakt says the account is VIP already (then upgrading does not help). */
  vip?: boolean;
  /** Where a free user upgrades (Trakt's `X-Upgrade-URL`). */
  upgradeUrl?: string;
}

export const itemLimitBounds = { min: 1, max: 5_000, default: 100 } as const;
export const titleMaxLength = 100;
/** Not-found titles kept on the list record itself; the rest live on the items, so the record stays small. */
export const notFoundPreviewSize = 20;

/** How many of the list's titles Trakt could not match. */
export function notFoundCountOf(list: Pick<ListRecord, "notFound" | "notFoundCount">): number {
  return list.notFoundCount ?? list.notFound.length;
}

export interface ListRecord {
  /** Set just before an account deletion with `keepTraktLists=true` removes the list: leave Trakt alone. */
  keepTraktList?: boolean;
  listId: string;
  userId: string;
  title: string;
  listType: ListType;
  filters?: CustomListFilters;
  itemLimit: number;
  privacy: Privacy;
  traktListId?: number;
  traktListSlug?: string;
  /** Name and privacy the Trakt list has, so a rename or privacy change here reaches Trakt. */
  traktListName?: string;
  traktListPrivacy?: Privacy;
  /** Set when the Trakt list vanished on Trakt and we created it again. */
  traktListRecreatedAt?: string;
  syncState: SyncState;
  localItemCount: number;
  traktItemCount?: number;
  lastAdded: number;
  lastRemoved: number;
  /** Titles Trakt could not match at the last sync (the items carry the flag; older records lack the count). */
  notFoundCount?: number;
  /** The first of them, for display; `GET /lists/{id}/items` shows every one. */
  notFound: NotFoundItem[];
  lastError?: SyncError;
  limit?: AccountLimitInfo;
  syncRequestedAt?: string;
  lastSyncStartedAt?: string;
  lastSyncedAt?: string;
  /** Custom lists: the catalog version the last sync built the items from, and a hash of their ids in order. */
  catalogVersion?: string;
  selectionHash?: string;
  createdAt: string;
  updatedAt: string;
}

const markerPrefix = "[trakt-list-sync:";

/** Who a Trakt list was made for: this install (its database) and one of its users. */
export interface TraktListOwner {
  installId: string;
  userId: string;
}

/** What a marker in a Trakt list's description says. Markers of older versions name only the list. */
export interface TraktListMarker {
  listId: string;
  installId?: string;
  userId?: string;
}

/**
 * The marker our Trakt lists carry in their description: the list, the install and the user
 * (`[trakt-list-sync:<listId> install=<installId> user=<userId, URI-encoded>]`). It finds our list again
 * after a crash; it never suffices to delete one (see `isOrphanOf`).
 */
export function traktListMarker(listId: string, owner?: TraktListOwner): string {
  const named = owner ? ` install=${owner.installId} user=${encodeURIComponent(owner.userId)}` : "";
  return `${markerPrefix}${listId}${named}]`;
}

export function traktListDescription(listId: string, owner?: TraktListOwner): string {
  return `Kept in sync by trakt-list-sync. ${traktListMarker(listId, owner)}`;
}

/** The marker in a Trakt list description, if it carries one. */
export function markerIn(description: string | null | undefined): TraktListMarker | undefined {
  if (!description) return undefined;
  const start = description.indexOf(markerPrefix);
  if (start < 0) return undefined;
  const end = description.indexOf("]", start);
  if (end < 0) return undefined;
  const [listId, ...fields] = description.slice(start + markerPrefix.length, end).split(" ");
  if (!listId) return undefined;
  const named = Object.fromEntries(
    fields.map((field) => field.split("=", 2) as [string, string | undefined]),
  );
  return {
    listId,
    ...(named.install ? { installId: named.install } : {}),
    ...(named.user ? { userId: safeDecode(named.user) } : {}),
  };
}

/** The list id in a Trakt list description carrying our marker, if any. */
export function listIdFromDescription(description: string | null | undefined): string | undefined {
  return markerIn(description)?.listId;
}

/**
 * Whether a marker may be `owner`'s: it names neither another install nor another user. Markers of
 * older versions name neither, so they may be (list ids are random UUIDs).
 */
export function mayBelongTo(marker: TraktListMarker, owner: TraktListOwner): boolean {
  return (
    (marker.installId === undefined || marker.installId === owner.installId) &&
    (marker.userId === undefined || marker.userId === owner.userId)
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
