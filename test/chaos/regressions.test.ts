/**
 * Bugs the chaos run found, each pinned by the smallest reproduction (DynamoDB Local + the sandbox).
 */

import { beforeEach, describe, expect, it } from "vitest";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import { traktListDescription } from "#domain/list.ts";
import { type SyncListDeps, syncList } from "#sync/syncList.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import { manualList, movieItems } from "#test/support/builders.ts";
import { MemoryCatalogSource } from "#test/support/memoryCatalog.ts";
import { useSandboxAndTable } from "#test/support/sandboxAndTable.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

let userCounter = 0;

const real = useSandboxAndTable({ writeIntervalMs: 5 });

beforeEach(() => real.sandbox.clearFaults());

async function setup(options: { pacerIntervalMs?: number } = {}) {
  const userId = `chaos-regression-${++userCounter}`;
  await linkSandboxUser(real.sandbox, real.users, userId);
  const pacer = new DynamoWritePacer(real.table.doc, real.table.tableName, options.pacerIntervalMs ?? 10);
  const session = () =>
    new TraktUserSession({
      client: real.client,
      auth: real.users,
      pacer,
      userId,
      retry: { baseDelayMs: 10, maxDelayMs: 100 },
    });
  const deps = (): SyncListDeps => ({
    lists: real.lists,
    items: real.items,
    catalog: new MemoryCatalogSource(),
    session: session(),
    writeBatchSize: 100,
  });
  return { userId, session, deps };
}

async function createManualList(userId: string, count: number) {
  const list = manualList(userId, { localItemCount: count });
  await real.items.putItems(list.listId, movieItems(count));
  await real.lists.create(list);
  return list;
}

describe("bugs found by the chaos run", () => {
  it("a list renamed before its Trakt list was stored gets its new name and privacy on Trakt", async () => {
    // Prepare: a worker created the Trakt list under the old name and died before storing its id;
    // then the user renamed the list and made it public
    const { userId, session, deps } = await setup();
    const list = await createManualList(userId, 2);
    await real.lists.claimTraktListCreation(userId, list.listId, -1);
    await session().createList({
      name: list.title,
      description: traktListDescription(list.listId),
      privacy: "private",
    });
    await real.lists.update(userId, list.listId, { title: "Renamed meanwhile", privacy: "public" });

    // Act
    const outcome = await syncList(deps(), newSyncRequest(userId, list.listId, "list_changed"));

    // Assess
    expect(outcome.status).toBe("synced");
    const [twin] = real.sandbox.listsOf(userId);
    expect(twin).toMatchObject({ name: "Renamed meanwhile", privacy: "public" });
    expect(await real.lists.get(userId, list.listId)).toMatchObject({
      traktListName: "Renamed meanwhile",
      traktListPrivacy: "public",
    });
  });

  it("a write that waited for its pacer slot longer than the access token lives still goes out (no false auth_required)", {
    timeout: 20_000,
  }, async () => {
    // Prepare: tokens live 1 s (refreshed 0.2 s ahead); the user's next two write slots are 2 s apart
    real.sandbox.setFaults({ rules: [], accessTokenTtlSeconds: 1 });
    const { userId, session } = await setup({ pacerIntervalMs: 2_000 });
    const pacer = new DynamoWritePacer(real.table.doc, real.table.tableName, 2_000);
    await pacer.holdOff(`trakt:${userId}`, 2_000);

    // Act: the first try's token expires while it waits; so does the refreshed one on the next slot
    const created = await session().createList({ name: "Late", description: "d", privacy: "private" });

    // Assess
    expect(created.name).toBe("Late");
    expect((await real.users.getProfile(userId))?.traktLinkState).toBe("linked");
  });
});
