import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { table } from "#config/resources.ts";
import type { CustomListFilters } from "#domain/filters.ts";
import { type ListRecord, notFoundPreviewSize, type Privacy } from "#domain/list.ts";
import type {
  CreationClaim,
  DueList,
  ListStore,
  RecordedFailure,
  RepairIndex,
  SyncResult,
  TraktListRef,
} from "#sync/ports.ts";
import { type RepairEvent, RepairSchedule } from "#sync/repairSchedule.ts";
import { unlessConditionFails } from "./conditional.ts";
import {
  entity,
  installKey,
  listKey,
  listSkPrefix,
  repairShardOf,
  repairShards,
  tombstoneKey,
  tombstoneSkPrefix,
  userPk,
} from "./keys.ts";

const internalAttributes = [
  "pk",
  "sk",
  "entity",
  "repairShard",
  "repairDueAt",
  "createLeaseUntil",
  "createClaims",
  "syncRequestForceFull",
  "lastForceFullAt",
] as const;

interface ListChanges {
  title?: string;
  privacy?: Privacy;
  filters?: CustomListFilters;
  itemLimit?: number;
  localItemCount?: number;
  /** `pending` when the change queued a sync, with the time it was requested. */
  syncState?: "pending";
  syncRequestedAt?: string;
}

/** A list this install deleted: its Trakt list, wherever it turns up, may be deleted. */
interface ListTombstone {
  listId: string;
  traktListId?: number;
  title: string;
  deletedAt: string;
}

type SyncRequestOutcome =
  | { outcome: "queued" }
  | { outcome: "coalesced"; requestedAt: string; forceFull: boolean }
  | { outcome: "force_full_cooling"; retryAfterSeconds: number }
  | { outcome: "gone" };

/** Lists, keyed under their owner so another user's list id simply is not found. */
export class ListRepository implements ListStore, RepairIndex {
  readonly repairShards = repairShards;
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: () => number;
  private readonly repair: RepairSchedule;
  private installIdOnce: Promise<string> | undefined;

  /** `repair`: when a list becomes due for the backfill after what happened to it (the sync's policy). */
  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    clock: () => number = Date.now,
    repair: RepairSchedule = new RepairSchedule(),
  ) {
    this.doc = doc;
    this.tableName = tableName;
    this.clock = clock;
    this.repair = repair;
  }

  /** This install's id: made on first use and kept in the table, so a new (or emptied) table is a new install. */
  installId(): Promise<string> {
    this.installIdOnce ??= this.readOrMakeInstallId().catch((error: unknown) => {
      this.installIdOnce = undefined;
      throw error;
    });
    return this.installIdOnce;
  }

  private async readOrMakeInstallId(): Promise<string> {
    await unlessConditionFails(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...installKey,
            entity: "INSTALL",
            installId: randomUUID().replaceAll("-", "").slice(0, 12),
            createdAt: this.isoNow(),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
    const response = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: installKey, ConsistentRead: true }),
    );
    return String(response.Item?.installId);
  }

  /**
   * Records that this install deleted the list (written when its REMOVE is handled). `creationLeaseUntil` is the
   * creation lease the deleted record still held (epoch ms), if any: a worker under it may still be creating the
   * Trakt list, so the tombstone's sweep waits for the lease to end too.
   */
  async recordTombstone(list: ListRecord, deletedAt: string, creationLeaseUntil?: number): Promise<void> {
    const tombstone: ListTombstone = {
      listId: list.listId,
      title: list.title,
      deletedAt,
      ...(list.traktListId !== undefined ? { traktListId: list.traktListId } : {}),
    };
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...tombstoneKey(list.userId, list.listId),
          entity: "TOMBSTONE",
          userId: list.userId,
          ...tombstone,
          // Due for one sweep of the user's Trakt lists once a create still in flight has landed (see runBackfill).
          syncState: "deleted",
          ...this.repairAttributes(list.listId, "afterCreate", creationLeaseUntil),
        },
      }),
    );
  }

  /** The user's lists this install deleted, by list id. */
  async tombstones(userId: string): Promise<Map<string, ListTombstone>> {
    const found = new Map<string, ListTombstone>();
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :deleted)",
        ExpressionAttributeValues: { ":pk": userPk(userId), ":deleted": tombstoneSkPrefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const { listId, traktListId, title, deletedAt } = item;
        found.set(String(listId), {
          listId: String(listId),
          title: String(title),
          deletedAt: String(deletedAt),
          ...(typeof traktListId === "number" ? { traktListId } : {}),
        });
      }
    }
    return found;
  }

  /** Writes a new list; its stream INSERT starts the Trakt side. */
  async create(list: ListRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...listKey(list.userId, list.listId),
          entity: entity.list,
          ...list,
          ...this.repairAttributes(list.listId, "afterCreate"),
          // No creation lease taken yet (see claimTraktListCreation).
          createClaims: 0,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async get(userId: string, listId: string): Promise<ListRecord | undefined> {
    const response = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: listKey(userId, listId), ConsistentRead: true }),
    );
    return response.Item ? toListRecord(response.Item) : undefined;
  }

  async listByUser(userId: string): Promise<ListRecord[]> {
    const lists: ListRecord[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :list)",
        ExpressionAttributeValues: { ":pk": userPk(userId), ":list": listSkPrefix },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) lists.push(toListRecord(item));
    return lists.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** How many lists the user has (keys only: reads no list attributes into the function). */
  async countByUser(userId: string): Promise<number> {
    let count = 0;
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :list)",
        ExpressionAttributeValues: { ":pk": userPk(userId), ":list": listSkPrefix },
        Select: "COUNT",
      },
    );
    for await (const page of pages) count += page.Count ?? 0;
    return count;
  }

  /**
   * Records a user's sync request unless one is already queued (requested after the last sync
   * started, within `coalesceWindowMs`), or a full sync was honoured less than `forceFullCooldownMs`
   * ago. One conditional write, so concurrent requests cannot both enqueue.
   */
  async requestSync(
    userId: string,
    listId: string,
    request: { requestedAt: string; forceFull: boolean },
    rules: { coalesceWindowMs: number; forceFullCooldownMs: number },
  ): Promise<SyncRequestOutcome> {
    const now = Date.parse(request.requestedAt);
    const queued =
      "attribute_exists(syncRequestedAt) AND syncRequestedAt > :coalesceSince AND (attribute_not_exists(lastSyncStartedAt) OR lastSyncStartedAt < syncRequestedAt)";
    const forceFullCooling = "attribute_exists(lastForceFullAt) AND lastForceFullAt > :forceSince";
    const blocked = request.forceFull ? `(${forceFullCooling})` : `(${queued})`;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: listKey(userId, listId),
          UpdateExpression: `SET syncRequestedAt = :at, syncRequestForceFull = :force${
            request.forceFull ? ", lastForceFullAt = :at" : ""
          }`,
          ConditionExpression: `attribute_exists(pk) AND NOT ${blocked}`,
          ExpressionAttributeValues: {
            ":at": request.requestedAt,
            ":force": request.forceFull,
            ...(request.forceFull
              ? { ":forceSince": new Date(now - rules.forceFullCooldownMs).toISOString() }
              : { ":coalesceSince": new Date(now - rules.coalesceWindowMs).toISOString() }),
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { outcome: "queued" };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? unmarshall(error.Item) : undefined;
      if (!old) return { outcome: "gone" };
      if (request.forceFull) {
        const retryAt = Date.parse(String(old.lastForceFullAt)) + rules.forceFullCooldownMs;
        return {
          outcome: "force_full_cooling",
          retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)),
        };
      }
      return {
        outcome: "coalesced",
        requestedAt: String(old.syncRequestedAt),
        forceFull: old.syncRequestForceFull === true,
      };
    }
  }

  /** Applies user edits; undefined when the list does not exist. */
  async update(userId: string, listId: string, changes: ListChanges): Promise<ListRecord | undefined> {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    const sets = [...entries.map(([name]) => `#${name} = :${name}`), "updatedAt = :now"];
    const response = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: listKey(userId, listId),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])),
            ":now": this.isoNow(),
          },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    return response?.Attributes ? toListRecord(response.Attributes) : undefined;
  }

  /** Marks the list so that deleting it leaves its Trakt list alone (account deletion keeping Trakt lists). */
  async markKeepTraktList(userId: string, listId: string): Promise<void> {
    await this.conditionalUpdate(userId, listId, "SET keepTraktList = :keep", { ":keep": true });
  }

  /** Deletes the list record (its stream REMOVE deletes the Trakt list); the old record, or undefined. */
  async delete(userId: string, listId: string): Promise<ListRecord | undefined> {
    const response = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: listKey(userId, listId), ReturnValues: "ALL_OLD" }),
    );
    return response.Attributes ? toListRecord(response.Attributes) : undefined;
  }

  async markSyncStarted(userId: string, listId: string, startedAt: string): Promise<void> {
    const due = this.repairAttributes(listId, "afterStart");
    await this.conditionalUpdate(
      userId,
      listId,
      "SET syncState = :syncing, lastSyncStartedAt = :at, updatedAt = :at, repairShard = :shard, repairDueAt = :due",
      { ":syncing": "syncing", ":at": startedAt, ":shard": due.repairShard, ":due": due.repairDueAt },
    );
  }

  async recordSyncResult(userId: string, listId: string, result: SyncResult): Promise<void> {
    const limited = result.state === "limited";
    const due = this.repairAttributes(listId, this.repair.eventAfterResult(result.state));
    const sets = [
      "syncState = :state",
      "localItemCount = :local",
      "traktItemCount = :trakt",
      "lastAdded = :added",
      "lastRemoved = :removed",
      "notFoundCount = :notFoundCount",
      "notFound = :notFound",
      "lastSyncedAt = :finished",
      "updatedAt = :finished",
    ];
    const removes: string[] = [];
    const values: Record<string, unknown> = {
      ":state": result.state,
      ":local": result.localItemCount,
      ":trakt": result.traktItemCount,
      ":added": result.added,
      ":removed": result.removed,
      ":notFoundCount": result.notFound.length,
      ":notFound": result.notFound.slice(0, notFoundPreviewSize),
      ":finished": result.finishedAt,
      ":started": result.startedAt,
    };
    if (result.catalog) {
      sets.push("catalogVersion = :catalogVersion", "selectionHash = :selectionHash");
      values[":catalogVersion"] = result.catalog.version;
      values[":selectionHash"] = result.catalog.selectionHash;
    }
    if (result.notice) {
      sets.push("lastError = :notice");
      values[":notice"] = result.notice;
    } else removes.push("lastError");
    // Back in the backfill's view later: limited lists in case the account's limits changed, synced
    // ones for their periodic drift check.
    sets.push("repairShard = :shard", "repairDueAt = :due");
    Object.assign(values, { ":shard": due.repairShard, ":due": due.repairDueAt });
    if (limited) {
      sets.push("#limit = :limit");
      values[":limit"] = result.limit ?? null;
    } else removes.push("#limit");
    // Only the sync that started last may record its outcome: an older, slower one must not win.
    await this.conditionalUpdate(
      userId,
      listId,
      `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      values,
      "lastSyncStartedAt = :started",
      { "#limit": "limit" },
    );
  }

  async recordSyncFailure(
    userId: string,
    listId: string,
    failure: RecordedFailure,
    at: string,
  ): Promise<void> {
    const event = this.repair.eventAfterFailure(failure.state);
    const due = event === undefined ? undefined : this.repairAttributes(listId, event);
    await this.conditionalUpdate(
      userId,
      listId,
      `SET syncState = :state, lastError = :error, updatedAt = :at${
        due ? ", repairShard = :shard, repairDueAt = :due" : ""
      }${failure.limit ? ", #limit = :limit" : ""}`,
      {
        ":state": failure.state,
        ":error": { code: failure.code, message: failure.message, at },
        ":at": at,
        ...(due ? { ":shard": due.repairShard, ":due": due.repairDueAt } : {}),
        ...(failure.limit ? { ":limit": failure.limit } : {}),
      },
      undefined,
      failure.limit ? { "#limit": "limit" } : undefined,
    );
  }

  async claimTraktListCreation(userId: string, listId: string, leaseMs: number): Promise<CreationClaim> {
    const now = this.clock();
    const claimed = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: listKey(userId, listId),
          // createClaims counts every lease ever taken and is never lowered (a released lease may have created one).
          // Lists written before it was counted, or whose Trakt list was forgotten, never count as a first claim.
          UpdateExpression:
            "SET createLeaseUntil = :until, createClaims = if_not_exists(createClaims, :one) + :one",
          ConditionExpression:
            "attribute_exists(pk) AND attribute_not_exists(traktListId) AND (attribute_not_exists(createLeaseUntil) OR createLeaseUntil < :now)",
          ExpressionAttributeValues: { ":until": now + leaseMs, ":now": now, ":one": 1 },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    if (claimed) return claimed.Attributes?.createClaims === 1 ? "first-claim" : "claimed";
    const current = await this.get(userId, listId);
    if (!current) return "gone";
    return current.traktListId !== undefined ? "has-list" : "busy";
  }

  async releaseTraktListCreation(userId: string, listId: string): Promise<void> {
    await this.conditionalUpdate(
      userId,
      listId,
      "REMOVE createLeaseUntil",
      {},
      "attribute_exists(createLeaseUntil)",
    );
  }

  async storeTraktList(
    userId: string,
    listId: string,
    traktList: TraktListRef,
    options: { recreated: boolean },
  ): Promise<boolean> {
    const now = this.isoNow();
    const written = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: listKey(userId, listId),
          UpdateExpression: `SET traktListId = :id, traktListSlug = :slug, traktListName = :name, traktListPrivacy = :privacy, updatedAt = :now${
            options.recreated ? ", traktListRecreatedAt = :now" : ""
          } REMOVE createLeaseUntil`,
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(traktListId)",
          ExpressionAttributeValues: {
            ":id": traktList.id,
            ":slug": traktList.slug,
            ":name": traktList.name,
            ":privacy": traktList.privacy,
            ":now": now,
          },
        }),
      ),
    );
    return written !== undefined;
  }

  async recordTraktListSettings(
    userId: string,
    listId: string,
    name: string,
    privacy: Privacy,
  ): Promise<void> {
    await this.conditionalUpdate(userId, listId, "SET traktListName = :name, traktListPrivacy = :privacy", {
      ":name": name,
      ":privacy": privacy,
    });
  }

  async forgetTraktList(userId: string, listId: string, traktListId: number): Promise<void> {
    await this.conditionalUpdate(
      userId,
      listId,
      "REMOVE traktListId, traktListSlug SET updatedAt = :now, createClaims = if_not_exists(createClaims, :one) + :one",
      { ":now": this.isoNow(), ":id": traktListId, ":one": 1 },
      "traktListId = :id",
    );
  }

  /** Moves a due list's next repair time forward, so the next backfill run does not queue it again. */
  async deferRepair(userId: string, listId: string, event: RepairEvent): Promise<void> {
    const due = this.repairAttributes(listId, event);
    await this.conditionalUpdate(
      userId,
      listId,
      "SET repairShard = :shard, repairDueAt = :due",
      { ":shard": due.repairShard, ":due": due.repairDueAt },
      "attribute_exists(repairDueAt)",
    );
  }

  /** Lists of one repair shard that are due now, oldest due first; bounded, resumable by `startKey`. */
  async dueForRepair(
    shard: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ lists: DueList[]; nextKey?: Record<string, unknown>; consumedRcu: number }> {
    const response = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: table.repairIndex.name,
        KeyConditionExpression: "repairShard = :shard AND repairDueAt <= :now",
        ExpressionAttributeValues: { ":shard": shard, ":now": this.isoNow() },
        Limit: limit,
        ExclusiveStartKey: startKey,
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    return {
      lists: (response.Items ?? []).map((item) => ({
        userId: String(item.userId),
        listId: String(item.listId),
        syncState: item.syncState as DueList["syncState"],
        repairDueAt: String(item.repairDueAt),
      })),
      ...(response.LastEvaluatedKey ? { nextKey: response.LastEvaluatedKey } : {}),
      consumedRcu: response.ConsumedCapacity?.CapacityUnits ?? 0,
    };
  }

  async settleTombstone(userId: string, listId: string, event?: RepairEvent): Promise<void> {
    const due = event === undefined ? undefined : this.repairAttributes(listId, event);
    await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tombstoneKey(userId, listId),
          UpdateExpression: due
            ? "SET repairShard = :shard, repairDueAt = :due"
            : "REMOVE repairShard, repairDueAt",
          ConditionExpression: "attribute_exists(pk)",
          ...(due
            ? { ExpressionAttributeValues: { ":shard": due.repairShard, ":due": due.repairDueAt } }
            : {}),
        }),
      ),
    );
  }

  /** The list's repair shard, and when it is due after `event`: not before `notBefore` (epoch ms) when given. */
  private repairAttributes(listId: string, event: RepairEvent, notBefore = 0) {
    const dueAt = Math.max(Date.parse(this.repair.dueAt(event, this.clock())), notBefore);
    return { repairShard: repairShardOf(listId), repairDueAt: new Date(dueAt).toISOString() };
  }

  private isoNow(): string {
    return new Date(this.clock()).toISOString();
  }

  /** An update of an existing list; a list deleted meanwhile (or a failed extra condition) is left alone. */
  private async conditionalUpdate(
    userId: string,
    listId: string,
    updateExpression: string,
    values: Record<string, unknown>,
    extraCondition?: string,
    names?: Record<string, string>,
  ): Promise<boolean> {
    const written = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: listKey(userId, listId),
          UpdateExpression: updateExpression,
          ConditionExpression: extraCondition
            ? `attribute_exists(pk) AND ${extraCondition}`
            : "attribute_exists(pk)",
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      ),
    );
    return written !== undefined;
  }
}

export function toListRecord(item: Record<string, unknown>): ListRecord {
  const record = { ...item };
  for (const name of internalAttributes) delete record[name];
  return record as unknown as ListRecord;
}
