/**
 * Bugs the chaos run found, each pinned by the smallest reproduction (DynamoDB Local + the sandbox).
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import { ItemRepository } from "#adapters/dynamo/ItemRepository.ts";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { traktListDescription } from "#domain/list.ts";
import { startTraktSandbox, type TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { type SyncListDeps, syncList } from "#sync/syncList.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import { manualList, movieItems } from "#test/support/builders.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";
import { MemoryCatalogSource } from "#test/support/memoryCatalog.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { TraktClient } from "#trakt/TraktClient.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

let sandbox: TraktSandbox;
let table: TestTable;
let lists: ListRepository;
let items: ItemRepository;
let users: UserRepository;
let client: TraktClient;
let userCounter = 0;

beforeAll(async () => {
  sandbox = await startTraktSandbox({ port: 0, writeIntervalMs: 5 });
  table = await createTestTable();
  lists = new ListRepository(table.doc, table.tableName);
  items = new ItemRepository(table.doc, table.tableName);
  users = new UserRepository(table.doc, table.tableName);
  client = new TraktClient({
    apiUrl: sandbox.url,
    authUrl: sandbox.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
});

afterAll(async () => {
  await sandbox.stop();
  await table.drop();
});

beforeEach(() => sandbox.clearFaults());

async function setup(options: { pacerIntervalMs?: number } = {}) {
  const userId = `chaos-regression-${++userCounter}`;
  await linkSandboxUser(sandbox, users, userId);
  const pacer = new DynamoWritePacer(table.doc, table.tableName, options.pacerIntervalMs ?? 10);
  const session = () =>
    new TraktUserSession({ client, auth: users, pacer, userId, retry: { baseDelayMs: 10, maxDelayMs: 100 } });
  const deps = (): SyncListDeps => ({
    lists,
    items,
    catalog: new MemoryCatalogSource(),
    session: session(),
    writeBatchSize: 100,
  });
  return { userId, session, deps };
}

async function createManualList(userId: string, count: number) {
  const list = manualList(userId, { localItemCount: count });
  await items.putItems(list.listId, movieItems(count));
  await lists.create(list);
  return list;
}

describe("bugs found by the chaos run", () => {
  it("a list renamed before its Trakt list was stored gets its new name and privacy on Trakt", async () => {
    // Prepare: a worker created the Trakt list under the old name and died before storing its id;
    // then the user renamed the list and made it public
    const { userId, session, deps } = await setup();
    const list = await createManualList(userId, 2);
    await session().createList({
      name: list.title,
      description: traktListDescription(list.listId),
      privacy: "private",
    });
    await lists.update(userId, list.listId, { title: "Renamed meanwhile", privacy: "public" });

    // Act
    const outcome = await syncList(deps(), newSyncRequest(userId, list.listId, "list_changed"));

    // Assess
    expect(outcome.status).toBe("synced");
    const [twin] = sandbox.listsOf(userId);
    expect(twin).toMatchObject({ name: "Renamed meanwhile", privacy: "public" });
    expect(await lists.get(userId, list.listId)).toMatchObject({
      traktListName: "Renamed meanwhile",
      traktListPrivacy: "public",
    });
  });

  it("a write that waited for its pacer slot longer than the access token lives still goes out (no false auth_required)", {
    timeout: 20_000,
  }, async () => {
    // Prepare: tokens live 1 s (refreshed 0.2 s ahead); the user's next two write slots are 2 s apart
    sandbox.setFaults({ rules: [], accessTokenTtlSeconds: 1 });
    const { userId, session } = await setup({ pacerIntervalMs: 2_000 });
    const pacer = new DynamoWritePacer(table.doc, table.tableName, 2_000);
    await pacer.holdOff(`trakt:${userId}`, 2_000);

    // Act: the first try's token expires while it waits; so does the refreshed one on the next slot
    const created = await session().createList({ name: "Late", description: "d", privacy: "private" });

    // Assess
    expect(created.name).toBe("Late");
    expect((await users.getProfile(userId))?.traktLinkState).toBe("linked");
  });
});
