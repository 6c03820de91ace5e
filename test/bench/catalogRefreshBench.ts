/**
 * The refresh part of the catalog benchmark: 1,000 custom lists of 100 users in DynamoDB Local, built
 * from version 1; a refresh against version 2 (1% of ratings and votes changed), then against a
 * version that changes nothing. Trakt writes are what the sync's own diff plans for each queued list
 * (removes and adds of ≤ 100 items per write, one reorder), without running the syncs.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { batchWrite } from "#adapters/dynamo/batchWrite.ts";
import { CatalogRefreshStateRepository } from "#adapters/dynamo/CatalogRefreshStateRepository.ts";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { entity, listKey } from "#adapters/dynamo/keys.ts";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { tableDefinition } from "#adapters/dynamo/tableDefinition.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { Catalog } from "#catalog/Catalog.ts";
import { decodeSnapshot } from "#catalog/snapshot.ts";
import { planChanges, planReorder } from "#domain/diff.ts";
import type { ListItem } from "#domain/item.ts";
import type { ListRecord } from "#domain/list.ts";
import type { RemoteEntry } from "#domain/remoteEntry.ts";
import { startDynamoDbLocal } from "#infra/local/runtime/dynamoDbLocal.ts";
import { newListRecord } from "#lists/newList.ts";
import { runCatalogRefresh } from "#sync/catalogRefresh.ts";
import type { SyncRequest } from "#sync/ports.ts";
import { benchFilterSets } from "./catalogFilterSets.ts";

const listCount = 1_000;
const userCount = 100;
const limits = [50, 100, 200, 500];

export async function refreshBench(dir: string, v1: Catalog, log: (line: string) => void): Promise<void> {
  const snapshot2 = readFileSync(join(dir, "v2.tlscat.gz"));
  const v2 = new Catalog(decodeSnapshot(snapshot2));
  const dynamo = await startDynamoDbLocal();
  const doc = createDocumentClient(dynamo.endpoint);
  try {
    const tableName = `bench-refresh-${randomUUID()}`;
    await doc.send(new CreateTableCommand(tableDefinition(tableName)));
    const users = new UserRepository(doc, tableName);
    const lists = new ListRepository(doc, tableName);
    const records = await seedLists(doc, tableName, users, v1);
    const queued: SyncRequest[] = [];
    const deps = (catalog: Catalog) => ({
      state: new CatalogRefreshStateRepository(doc, tableName),
      usersAfter: (after?: { shard: number; userId: string }) => users.usersAfter(after),
      listsOf: (userId: string) => lists.listByUser(userId),
      queue: { enqueue: async (request: SyncRequest) => void queued.push(request) },
      catalog: async () => catalog,
    });
    const options = { maxLists: 2_000, passIntervalMs: 86_400_000 };

    let started = performance.now();
    const changed = await runCatalogRefresh(deps(v2), options);
    const changedMs = performance.now() - started;
    const writes = plannedTraktWrites(records, queued, v1, v2);

    // The syncs would now record the v2 selections; then a version that changes nothing.
    for (const record of records) {
      const hash = v2.select(record.filters!, record.itemLimit).selectionHash;
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: listKey(record.userId, record.listId),
          UpdateExpression: "SET selectionHash = :h",
          ExpressionAttributeValues: { ":h": hash },
        }),
      );
    }
    const sameAgain = decodeSnapshot(snapshot2);
    sameAgain.meta.version = "v3-no-change";
    const queuedBefore = queued.length;
    started = performance.now();
    const unchanged = await runCatalogRefresh(deps(new Catalog(sameAgain)), options);
    const unchangedMs = performance.now() - started;

    log(
      `\nRefresh of ${listCount.toLocaleString("en")} custom lists (${userCount} users, ${benchFilterSets.length} filter sets, itemLimit ${limits.join("/")}), lists in DynamoDB Local:`,
    );
    console.table([
      {
        version: "1% of ratings and votes changed",
        examined: changed.examined,
        changed: changed.changed,
        "syncs queued": changed.queued,
        "Trakt writes (planned)": writes.writes,
        "items added/removed": `${writes.added}/${writes.removed}`,
        "wall ms": Math.round(changedMs),
      },
      {
        version: "nothing changed",
        examined: unchanged.examined,
        changed: unchanged.changed,
        "syncs queued": queued.length - queuedBefore,
        "Trakt writes (planned)": 0,
        "items added/removed": "0/0",
        "wall ms": Math.round(unchangedMs),
      },
    ]);
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}

async function seedLists(
  doc: ReturnType<typeof createDocumentClient>,
  tableName: string,
  users: UserRepository,
  v1: Catalog,
): Promise<ListRecord[]> {
  const records: ListRecord[] = [];
  for (let i = 0; i < listCount; i++) {
    const userId = `bench-user-${String(i % userCount).padStart(3, "0")}`;
    const [, partial] = benchFilterSets[i % benchFilterSets.length]!;
    const list = newListRecord(
      userId,
      { title: `List ${i}`, listType: "custom", filters: partial, itemLimit: limits[i % limits.length]! },
      new Date(),
    );
    const selection = v1.select(list.filters!, list.itemLimit);
    records.push({
      ...list,
      syncState: "synced",
      localItemCount: selection.items.length,
      catalogVersion: v1.version,
      selectionHash: selection.selectionHash,
    });
  }
  for (let u = 0; u < userCount; u++) await users.register(`bench-user-${String(u).padStart(3, "0")}`);
  for (let start = 0; start < records.length; start += 500) {
    await batchWrite(
      doc,
      tableName,
      records.slice(start, start + 500).map((r) => ({
        PutRequest: { Item: { ...listKey(r.userId, r.listId), entity: entity.list, ...r } },
      })),
    );
  }
  return records;
}

/** What the sync would write to Trakt for each queued list: its own diff between the v1 list on Trakt and the v2 selection. */
function plannedTraktWrites(records: ListRecord[], queued: SyncRequest[], v1: Catalog, v2: Catalog) {
  const byId = new Map(records.map((r) => [r.listId, r]));
  let writes = 0;
  let added = 0;
  let removed = 0;
  for (const request of queued) {
    const list = byId.get(request.listId)!;
    const before = v1.select(list.filters!, list.itemLimit).items;
    const after = v2.select(list.filters!, list.itemLimit).items;
    const remote = before.map(toRemote);
    const plan = planChanges(after, remote);
    added += plan.toAdd.length;
    removed += plan.toRemove.length;
    writes += Math.ceil(plan.toAdd.length / 100) + Math.ceil(plan.toRemove.length / 100);
    const gone = new Set(plan.toRemove.map((e) => e.listItemId));
    const onTrakt = [
      ...remote.filter((e) => !gone.has(e.listItemId)),
      ...plan.toAdd.map((item, k) => toRemote({ ...item, rank: 10_000 + k })),
    ];
    if (planReorder(after, onTrakt) !== null) writes++;
  }
  return { writes, added, removed };
}

function toRemote(item: ListItem): RemoteEntry {
  return {
    listItemId: 1_000_000 + item.rank,
    rank: item.rank,
    type: item.mediaType,
    ids: { ...(item.imdbId ? { imdb: item.imdbId } : {}), ...(item.tmdbId ? { tmdb: item.tmdbId } : {}) },
  };
}
