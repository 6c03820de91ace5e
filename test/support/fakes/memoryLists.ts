import type { ListItem } from "#domain/item.ts";
import { type ListRecord, notFoundPreviewSize, type Privacy } from "#domain/list.ts";
import { titleKey } from "#domain/media.ts";
import type { BackfillLists } from "#sync/backfill.ts";
import type {
  CreationClaim,
  DueList,
  ItemStore,
  ListStore,
  RecordedFailure,
  SyncQueue,
  SyncRequest,
  SyncResult,
  TraktListRef,
} from "#sync/ports.ts";
import { type RepairEvent, RepairSchedule } from "#sync/repairSchedule.ts";

interface Stored {
  record: ListRecord;
  leaseUntil?: number;
  /** Creation leases ever taken (never reset). */
  claims?: number;
  repairDueAt?: string;
}

/**
 * Lists in memory behind the sync's ListStore and the backfill's repair index, with the same conditions
 * as the DynamoDB repository: the creation lease, a Trakt list id stored once, only the latest sync
 * recording its result, and due times from the sync's RepairSchedule. One repair shard.
 */
export class MemoryListStore implements ListStore, BackfillLists {
  readonly repairShards = ["R0"];
  readonly stored = new Map<string, Stored>();
  /** Tombstones by user and list; `repairDueAt` while the sweep after the deletion is due. */
  readonly deleted = new Map<string, Map<string, { deletedAt: string; repairDueAt?: string | undefined }>>();
  now: number;
  private readonly repair = new RepairSchedule();

  constructor(now = Date.parse("2025-01-01T12:00:00Z")) {
    this.now = now;
  }

  /** Adds a list as the API creates it: due for the backfill a little later. */
  put(record: ListRecord): ListRecord {
    this.stored.set(keyOf(record.userId, record.listId), {
      record: structuredClone(record),
      repairDueAt: this.dueAt("afterCreate"),
    });
    return record;
  }

  /** Changes a stored list as an API edit does (its place in the repair index stays). */
  edit(userId: string, listId: string, change: (record: ListRecord) => void): void {
    this.update(userId, listId, (stored) => change(stored.record));
  }

  /** Deletes a list as its REMOVE does, keeping its tombstone. */
  remove(userId: string, listId: string): void {
    this.stored.delete(keyOf(userId, listId));
    const tombstones = this.deleted.get(userId) ?? new Map();
    tombstones.set(listId, {
      deletedAt: new Date(this.now).toISOString(),
      repairDueAt: this.dueAt("afterCreate"),
    });
    this.deleted.set(userId, tombstones);
  }

  /** Where the list stands in the repair index (undefined: not in it). */
  repairDueAtOf(userId: string, listId: string): string | undefined {
    return this.stored.get(keyOf(userId, listId))?.repairDueAt;
  }

  async installId(): Promise<string> {
    return "install-1";
  }

  async get(userId: string, listId: string): Promise<ListRecord | undefined> {
    const found = this.stored.get(keyOf(userId, listId));
    return found ? structuredClone(found.record) : undefined;
  }

  async listByUser(userId: string): Promise<ListRecord[]> {
    return [...this.stored.values()]
      .filter((s) => s.record.userId === userId)
      .map((s) => structuredClone(s.record));
  }

  async tombstones(userId: string): Promise<ReadonlyMap<string, { deletedAt: string }>> {
    return this.deleted.get(userId) ?? new Map();
  }

  async markSyncStarted(userId: string, listId: string, startedAt: string): Promise<void> {
    this.update(userId, listId, (s) => {
      Object.assign(s.record, { syncState: "syncing", lastSyncStartedAt: startedAt, updatedAt: startedAt });
      s.repairDueAt = this.dueAt("afterStart");
    });
  }

  async recordSyncResult(userId: string, listId: string, result: SyncResult): Promise<void> {
    this.update(userId, listId, (s) => {
      if (s.record.lastSyncStartedAt !== result.startedAt) return;
      const { lastError: _error, limit: _limit, ...record } = s.record;
      s.record = {
        ...record,
        syncState: result.state,
        localItemCount: result.localItemCount,
        traktItemCount: result.traktItemCount,
        lastAdded: result.added,
        lastRemoved: result.removed,
        notFoundCount: result.notFound.length,
        notFound: result.notFound.slice(0, notFoundPreviewSize),
        lastSyncedAt: result.finishedAt,
        updatedAt: result.finishedAt,
        ...(result.catalog
          ? { catalogVersion: result.catalog.version, selectionHash: result.catalog.selectionHash }
          : {}),
        ...(result.notice ? { lastError: result.notice } : {}),
        ...(result.state === "limited" && result.limit ? { limit: result.limit } : {}),
      };
      s.repairDueAt = this.dueAt(this.repair.eventAfterResult(result.state));
    });
  }

  async recordSyncFailure(
    userId: string,
    listId: string,
    failure: RecordedFailure,
    at: string,
  ): Promise<void> {
    this.update(userId, listId, (s) => {
      Object.assign(s.record, {
        syncState: failure.state,
        lastError: { code: failure.code, message: failure.message, at },
        updatedAt: at,
        ...(failure.limit ? { limit: failure.limit } : {}),
      });
      const event = this.repair.eventAfterFailure(failure.state);
      if (event) s.repairDueAt = this.dueAt(event);
    });
  }

  async claimTraktListCreation(userId: string, listId: string, leaseMs: number): Promise<CreationClaim> {
    const found = this.stored.get(keyOf(userId, listId));
    if (!found) return "gone";
    if (found.record.traktListId !== undefined) return "has-list";
    if (found.leaseUntil !== undefined && found.leaseUntil >= this.now) return "busy";
    found.leaseUntil = this.now + leaseMs;
    found.claims = (found.claims ?? 0) + 1;
    return found.claims === 1 ? "first-claim" : "claimed";
  }

  async releaseTraktListCreation(userId: string, listId: string): Promise<void> {
    this.update(userId, listId, (s) => {
      delete s.leaseUntil;
    });
  }

  async storeTraktList(
    userId: string,
    listId: string,
    traktList: TraktListRef,
    options: { recreated: boolean },
  ): Promise<boolean> {
    const found = this.stored.get(keyOf(userId, listId));
    if (!found || found.record.traktListId !== undefined) return false;
    const at = new Date(this.now).toISOString();
    Object.assign(found.record, {
      traktListId: traktList.id,
      traktListSlug: traktList.slug,
      traktListName: traktList.name,
      traktListPrivacy: traktList.privacy,
      updatedAt: at,
      ...(options.recreated ? { traktListRecreatedAt: at } : {}),
    });
    delete found.leaseUntil;
    return true;
  }

  async recordTraktListSettings(
    userId: string,
    listId: string,
    name: string,
    privacy: Privacy,
  ): Promise<void> {
    this.update(userId, listId, (s) => {
      Object.assign(s.record, { traktListName: name, traktListPrivacy: privacy });
    });
  }

  async forgetTraktList(userId: string, listId: string, traktListId: number): Promise<void> {
    this.update(userId, listId, (s) => {
      if (s.record.traktListId !== traktListId) return;
      delete s.record.traktListId;
      delete s.record.traktListSlug;
      s.claims = (s.claims ?? 0) + 1;
    });
  }

  async dueForRepair(
    _shard: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ lists: DueList[]; nextKey?: Record<string, unknown>; consumedRcu: number }> {
    const now = new Date(this.now).toISOString();
    const position = (d: DueList) => `${d.repairDueAt} ${keyOf(d.userId, d.listId)}`;
    const after = typeof startKey?.after === "string" ? startKey.after : "";
    const entries: DueList[] = [
      ...[...this.stored.values()].flatMap(({ record, repairDueAt }) =>
        repairDueAt === undefined
          ? []
          : [{ userId: record.userId, listId: record.listId, syncState: record.syncState, repairDueAt }],
      ),
      ...[...this.deleted].flatMap(([userId, tombstones]) =>
        [...tombstones].flatMap(([listId, { repairDueAt }]) =>
          repairDueAt === undefined ? [] : [{ userId, listId, syncState: "deleted" as const, repairDueAt }],
        ),
      ),
    ];
    const due = entries
      .filter((d) => d.repairDueAt <= now && position(d) > after)
      .sort((a, b) => position(a).localeCompare(position(b)));
    const lists = due.slice(0, limit);
    const last = lists.at(-1);
    const next = due.length > limit && last ? { nextKey: { after: position(last) } } : {};
    return { lists, ...next, consumedRcu: lists.length / 2 };
  }

  async settleTombstone(userId: string, listId: string, event?: RepairEvent): Promise<void> {
    const tombstone = this.deleted.get(userId)?.get(listId);
    if (tombstone) tombstone.repairDueAt = event === undefined ? undefined : this.dueAt(event);
  }

  async deferRepair(userId: string, listId: string, event: RepairEvent): Promise<void> {
    this.update(userId, listId, (s) => {
      if (s.repairDueAt !== undefined) s.repairDueAt = this.dueAt(event);
    });
  }

  private dueAt(event: RepairEvent): string {
    return this.repair.dueAt(event, this.now);
  }

  /** Changes an existing list; a missing one is left alone (like the repository's conditional updates). */
  private update(userId: string, listId: string, change: (stored: Stored) => void): void {
    const found = this.stored.get(keyOf(userId, listId));
    if (found) change(found);
  }
}

/** Items in memory behind the sync's ItemStore. */
export class MemoryItemStore implements ItemStore {
  readonly items = new Map<string, ListItem[]>();

  async getItems(listId: string): Promise<ListItem[]> {
    return structuredClone(this.items.get(listId) ?? []);
  }

  async replaceItems(listId: string, items: readonly ListItem[]): Promise<void> {
    this.items.set(listId, structuredClone([...items]));
  }

  async recordNotFound(
    listId: string,
    items: readonly ListItem[],
    notFoundKeys: ReadonlySet<string>,
  ): Promise<void> {
    const stored = this.items.get(listId) ?? [];
    const listed = new Set(items.map(titleKey));
    for (const item of stored) {
      if (!listed.has(titleKey(item))) continue;
      if (notFoundKeys.has(titleKey(item))) item.notFoundOnTrakt = true;
      else delete item.notFoundOnTrakt;
    }
  }
}

/** The sync queue in memory: what was sent, in order. */
export class MemorySyncQueue implements SyncQueue {
  readonly sent: SyncRequest[] = [];

  async enqueue(request: SyncRequest): Promise<void> {
    this.sent.push(request);
  }
}

function keyOf(userId: string, listId: string): string {
  return `${userId}/${listId}`;
}
