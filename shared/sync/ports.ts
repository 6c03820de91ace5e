import type { CustomListFilters } from "#domain/filters.ts";
import type { ListItem, NotFoundItem } from "#domain/item.ts";
import type { AccountLimitInfo, ListRecord, Privacy, SyncError, SyncState } from "#domain/list.ts";
import type { RepairEvent } from "./repairSchedule.ts";

/** Small interfaces the sync logic needs; DynamoDB adapters implement them, tests may stub them. */

export interface SyncResult {
  state: Extract<SyncState, "synced" | "limited">;
  startedAt: string;
  finishedAt: string;
  localItemCount: number;
  traktItemCount: number;
  added: number;
  removed: number;
  notFound: NotFoundItem[];
  limit?: AccountLimitInfo;
  /** A message the user should see although the sync succeeded (e.g. why the list is limited). */
  notice?: SyncError;
  /** Custom lists: the catalog version the items were built from, and the selection's hash. */
  catalog?: { version: string; selectionHash: string };
}

/** The states a sync that did not finish leaves a list in. */
type FailureState = Exclude<SyncState, "synced" | "pending" | "syncing">;

/** What stopped a sync (or a Trakt list's creation): what the list shows, and what the worker does next. */
export interface SyncFailure {
  state: FailureState;
  code: string;
  /** Words a user understands: what happened and what happens next. */
  message: string;
  /** The account limit to show on the list, when one stopped it. */
  limit?: AccountLimitInfo;
  /** Whether the message should go back to the queue (SQS redelivery, then DLQ, then backfill). */
  retry: boolean;
  /**
   * Whether to show it on the list. Contention with another worker is not: that worker records the
   * real outcome, and "busy" must not hide it.
   */
  record: boolean;
}

/** Work that stopped: how (recorded on the list unless `record` is false) and the error itself. */
export interface FailedOutcome {
  status: "failed";
  failure: SyncFailure;
  error: unknown;
}

/** The part of a failure the list keeps. */
export type RecordedFailure = Pick<SyncFailure, "state" | "code" | "message" | "limit">;

export interface TraktListRef {
  id: number;
  slug: string;
  name: string;
  privacy: Privacy;
}

/**
 * `first-claim`: the lease is ours and no worker ever held it before, so no Trakt list can have been created for
 * the list yet; `claimed`: ours, after earlier attempts (one may have created the Trakt list and died before
 * storing its id).
 */
export type CreationClaim = "first-claim" | "claimed" | "has-list" | "busy" | "gone";

export interface ListStore {
  /** This install's id, named in the markers of the Trakt lists it makes. */
  installId(): Promise<string>;
  get(userId: string, listId: string): Promise<ListRecord | undefined>;
  markSyncStarted(userId: string, listId: string, startedAt: string): Promise<void>;
  recordSyncResult(userId: string, listId: string, result: SyncResult): Promise<void>;
  /** Puts the failure on the list as its state and `lastError` (`at`: when it happened). */
  recordSyncFailure(userId: string, listId: string, failure: RecordedFailure, at: string): Promise<void>;
  /** Takes the short lease that lets one worker create the list's Trakt list. */
  claimTraktListCreation(userId: string, listId: string, leaseMs: number): Promise<CreationClaim>;
  /** Gives up the creation lease after a failed attempt, so a retry need not wait for it to run out. */
  releaseTraktListCreation(userId: string, listId: string): Promise<void>;
  /** Stores the Trakt list id unless one is stored already; true when ours was stored. */
  storeTraktList(
    userId: string,
    listId: string,
    traktList: TraktListRef,
    options: { recreated: boolean },
  ): Promise<boolean>;
  /** Records the name and privacy the Trakt list now has. */
  recordTraktListSettings(userId: string, listId: string, name: string, privacy: Privacy): Promise<void>;
  /** Drops a Trakt list id that no longer exists on Trakt (only if it is still the stored one). */
  forgetTraktList(userId: string, listId: string, traktListId: number): Promise<void>;
}

/**
 * A list due for the backfill, as the repair index holds it; `deleted`: the tombstone of a list deleted here, due for
 * a sweep of the user's Trakt lists (a Trakt list created while the list was being deleted turns up after it).
 */
export interface DueList {
  userId: string;
  listId: string;
  syncState: SyncState | "deleted";
  repairDueAt: string;
}

/**
 * The sparse index of lists the backfill must look at (those not `synced`, and synced ones due for
 * their drift check). Writes of the list store keep it up to date by the sync's RepairSchedule.
 */
export interface RepairIndex {
  /** The index's partitions, read one after another. */
  readonly repairShards: readonly string[];
  /** Lists of one shard that are due now, oldest due first; bounded, resumable by `startKey`. */
  dueForRepair(
    shard: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ lists: DueList[]; nextKey?: Record<string, unknown>; consumedRcu: number }>;
  /** Moves a due list's next repair to what the schedule says after `event` (only while it is in the index). */
  deferRepair(userId: string, listId: string, event: RepairEvent): Promise<void>;
  /** A deleted list's sweep: done (out of the index), or due again after `event`. */
  settleTombstone(userId: string, listId: string, event?: RepairEvent): Promise<void>;
}

export interface ItemStore {
  getItems(listId: string): Promise<ListItem[]>;
  /**
   * Makes the stored items exactly `items` (puts new and changed, deletes the rest); `current` saves
   * reading them again when the caller just did.
   */
  replaceItems(listId: string, items: readonly ListItem[], current?: readonly ListItem[]): Promise<void>;
  /** Sets `notFoundOnTrakt` on the items in `notFoundKeys` and clears it on the others, where it changes. */
  recordNotFound(
    listId: string,
    items: readonly ListItem[],
    notFoundKeys: ReadonlySet<string>,
  ): Promise<void>;
}

/** What a custom list gets from the current catalog version. */
export interface CustomSelection {
  catalogVersion: string;
  items: ListItem[];
  /** A hash of the selected ids in rank order (the catalog refresh compares it). */
  selectionHash: string;
}

export interface CatalogSource {
  /** The best-first titles passing `filters`, at most `limit`, from the latest published version. */
  selectForList(filters: CustomListFilters, limit: number): Promise<CustomSelection>;
}

export interface SyncRequest {
  userId: string;
  listId: string;
  forceFull: boolean;
  reason: string;
  requestedAt: string;
}

export interface SyncQueue {
  enqueue(request: SyncRequest): Promise<void>;
}
