import { type ListRecord, markerIn, type Privacy } from "#domain/list.ts";
import type { DueList, ListStore, RepairIndex, SyncQueue } from "./ports.ts";
import { newSyncRequest } from "./syncRequest.ts";
import { TraktAuthRequiredError, TraktHttpError } from "./traktErrors.ts";
import type { TraktList, TraktSession } from "./traktSession.ts";
import { expectedOnTrakt, judgeMarkedList, ownershipOf, sameSettings } from "./verification.ts";

export interface BackfillReport {
  /** Due entries read from the repair index. */
  examined: number;
  /** Syncs queued for lists that need repair (no Trakt list, failed, never finished, limited…). */
  repairsQueued: number;
  /** Synced lists checked against Trakt's own count. */
  verified: number;
  /** Checked lists whose Trakt list had drifted (wrong count, name or privacy, or missing); a sync was queued. */
  drifted: number;
  /** Trakt lists of lists this install deleted (it holds their tombstones), deleted. */
  orphansRemoved: number;
  /** Trakt lists carrying a marker that are not ours to delete (another install or user, no tombstone): left alone. */
  notOurs: number;
  /** Users whose Trakt lists could not be read (checks postponed). */
  usersUnreachable: number;
  /** Read capacity the index queries consumed. */
  consumedRcu: number;
  /** Due entries left for a later run because their user already had `maxListsPerUser` handled in this one. */
  deferredForFairness: number;
  /** True when the run stopped at its bound with more lists due; the next run continues. */
  truncated: boolean;
}

/** One Trakt list the backfill deleted, for the log. */
interface TraktListDeletion {
  userId: string;
  listId: string;
  traktListId: number;
  name: string;
  reason: string;
}

/** What the backfill reads and moves: the repair index, and the user's lists and tombstones. */
export interface BackfillLists extends RepairIndex, Pick<ListStore, "recordTraktListSettings"> {
  installId(): Promise<string>;
  get(userId: string, listId: string): Promise<ListRecord | undefined>;
  listByUser(userId: string): Promise<ListRecord[]>;
  /** The user's lists this install deleted, by list id. */
  tombstones(userId: string): Promise<ReadonlyMap<string, { deletedAt: string }>>;
}

export interface BackfillDeps {
  lists: BackfillLists;
  queue: SyncQueue;
  sessionFor(userId: string): Promise<TraktSession>;
  /** Told of every Trakt list the backfill deletes (the handler logs it). */
  onTraktListDeleted?: (deletion: TraktListDeletion) => void;
}

interface BackfillOptions {
  /** Most due entries one run handles. */
  maxLists: number;
  /**
   * Most due entries of one user one run handles (default a tenth of `maxLists`, at least 1): one
   * user's thousands of due lists cannot take a whole run; the rest wait for the next runs.
   */
  maxListsPerUser?: number;
  pageSize?: number;
  onProgress?: (report: BackfillReport) => void;
}

/**
 * The scheduled repair. It reads only the index entries already due (never the table): lists that
 * need repair get a sync queued (a sync also creates a missing Trakt list); synced lists due for their
 * periodic check are compared with Trakt's own item count, one `GET /users/me/lists` per user, and
 * drifted ones get a sync; Trakt lists of ours whose local list is gone are deleted. Each deleted list's
 * tombstone is due once, a little after the deletion, for such a sweep of its user's Trakt lists: a Trakt list
 * whose creation was in flight while the list was deleted (its worker died, or deleting it failed) lands after
 * list-deleted looked. Every handled entry's due time moves forward, so a run that stops at its bound leaves the
 * rest for the next run.
 */
export async function runBackfill(deps: BackfillDeps, options: BackfillOptions): Promise<BackfillReport> {
  const report: BackfillReport = {
    examined: 0,
    repairsQueued: 0,
    verified: 0,
    drifted: 0,
    orphansRemoved: 0,
    notOurs: 0,
    usersUnreachable: 0,
    consumedRcu: 0,
    deferredForFairness: 0,
    truncated: false,
  };
  const toVerify = new Map<string, DueList[]>();
  const pageSize = options.pageSize ?? 100;
  const perUserCap = options.maxListsPerUser ?? Math.max(1, Math.floor(options.maxLists / 10));
  const handledPerUser = new Map<string, number>();
  // Reading past one user's capped entries costs index reads only; bounded all the same.
  const maxReads = options.maxLists * 4;
  let read = 0;
  shards: for (const shard of deps.lists.repairShards) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const remaining = options.maxLists - report.examined;
      if (remaining <= 0 || read >= maxReads) {
        report.truncated = true;
        break shards;
      }
      const page = await deps.lists.dueForRepair(shard, Math.min(pageSize, remaining), startKey);
      report.consumedRcu += page.consumedRcu;
      read += page.lists.length;
      for (const due of page.lists) {
        const handled = handledPerUser.get(due.userId) ?? 0;
        if (handled >= perUserCap) {
          report.deferredForFairness++;
          continue;
        }
        handledPerUser.set(due.userId, handled + 1);
        report.examined++;
        if (due.syncState === "synced" || due.syncState === "deleted")
          toVerify.set(due.userId, [...(toVerify.get(due.userId) ?? []), due]);
        else await queueRepair(deps, due, report);
      }
      options.onProgress?.({ ...report });
      startKey = page.nextKey;
    } while (startKey);
  }
  for (const [userId, due] of toVerify) {
    await verifyUser(deps, userId, due, report);
    options.onProgress?.({ ...report });
  }
  return report;
}

async function queueRepair(deps: BackfillDeps, due: DueList, report: BackfillReport) {
  await deps.lists.deferRepair(due.userId, due.listId, "afterStart");
  await deps.queue.enqueue(newSyncRequest(due.userId, due.listId, "backfill"));
  report.repairsQueued++;
}

/** Checks the user's due synced lists against Trakt's counts and sweeps the user's orphans (settling due tombstones). */
async function verifyUser(deps: BackfillDeps, userId: string, due: DueList[], report: BackfillReport) {
  const tombstones = due.filter((entry) => entry.syncState === "deleted");
  const synced = due.filter((entry) => entry.syncState !== "deleted");
  let session: TraktSession;
  let traktLists: Awaited<ReturnType<TraktSession["getLists"]>>;
  try {
    session = await deps.sessionFor(userId);
    traktLists = await session.getLists();
  } catch (error) {
    // Auth problems surface on the lists at their next sync; either way, look again later.
    report.usersUnreachable++;
    const event = error instanceof TraktAuthRequiredError ? "afterAccountProblem" : "afterFailure";
    for (const entry of synced) await deps.lists.deferRepair(userId, entry.listId, event);
    for (const entry of tombstones) await deps.lists.settleTombstone(userId, entry.listId, event);
    return;
  }
  await verifyTraktLists(deps, userId, synced, traktLists, report);
  await sweepOrphans(deps, session, userId, traktLists, report);
  for (const entry of tombstones) await deps.lists.settleTombstone(userId, entry.listId);
}

/**
 * Compares each due synced list with its Trakt list: item count, name and privacy. A list that drifted gets a
 * sync; when the name or privacy differ, what Trakt holds is recorded first, so the sync pushes ours again (it
 * pushes them only when they differ from what it last recorded).
 */
async function verifyTraktLists(
  deps: BackfillDeps,
  userId: string,
  synced: DueList[],
  traktLists: readonly TraktList[],
  report: BackfillReport,
) {
  const byId = new Map(traktLists.map((list) => [list.ids.trakt, list]));
  for (const entry of synced) {
    const list = await deps.lists.get(userId, entry.listId);
    if (!list) continue;
    report.verified++;
    const traktList = list.traktListId === undefined ? undefined : byId.get(list.traktListId);
    const settingsDrifted = traktList !== undefined && !sameSettings(list, traktList);
    if (traktList?.item_count === expectedOnTrakt(list) && !settingsDrifted) {
      await deps.lists.deferRepair(userId, entry.listId, "verifyAfter");
      continue;
    }
    report.drifted++;
    if (settingsDrifted)
      await deps.lists.recordTraktListSettings(
        userId,
        entry.listId,
        traktList.name,
        traktList.privacy as Privacy,
      );
    await deps.lists.deferRepair(userId, entry.listId, "afterStart");
    await deps.queue.enqueue(newSyncRequest(userId, entry.listId, "drift"));
  }
}

/** Deletes the Trakt lists of lists this install deleted; every other marked list is left alone. */
async function sweepOrphans(
  deps: BackfillDeps,
  session: TraktSession,
  userId: string,
  traktLists: Awaited<ReturnType<TraktSession["getLists"]>>,
  report: BackfillReport,
) {
  const marked = traktLists.flatMap((traktList) => {
    const marker = markerIn(traktList.description);
    return marker ? [{ traktList, marker }] : [];
  });
  if (marked.length === 0) return;
  const localIds = new Set((await deps.lists.listByUser(userId)).map((list) => list.listId));
  const tombstones = await deps.lists.tombstones(userId);
  const ownership = await ownershipOf(deps.lists, userId);
  for (const { traktList, marker } of marked) {
    const verdict = judgeMarkedList(marker, localIds, ownership);
    if (verdict.kind === "not-ours") report.notOurs++;
    if (verdict.kind !== "orphan") continue;
    try {
      await session.deleteList(traktList.ids.trakt);
    } catch (error) {
      if (error instanceof TraktHttpError && error.status === 404) continue;
      throw error;
    }
    report.orphansRemoved++;
    deps.onTraktListDeleted?.({
      userId,
      listId: marker.listId,
      traktListId: traktList.ids.trakt,
      name: traktList.name,
      reason: `orphan: its list was deleted here at ${tombstones.get(marker.listId)?.deletedAt}`,
    });
  }
}
