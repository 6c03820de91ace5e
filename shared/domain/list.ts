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
}

export const itemLimitBounds = { min: 1, max: 5_000, default: 100 } as const;
export const titleMaxLength = 100;

export interface ListRecord {
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

/** The marker our Trakt lists carry in their description; finds our list again after a crash. */
export function traktListMarker(listId: string): string {
  return `${markerPrefix}${listId}]`;
}

export function traktListDescription(listId: string): string {
  return `Kept in sync by trakt-list-sync. ${traktListMarker(listId)}`;
}

/** The list id in a Trakt list description carrying our marker, if any. */
export function listIdFromDescription(description: string | null | undefined): string | undefined {
  if (!description) return undefined;
  const start = description.indexOf(markerPrefix);
  if (start < 0) return undefined;
  const end = description.indexOf("]", start);
  return end < 0 ? undefined : description.slice(start + markerPrefix.length, end);
}
