import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import type { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { traktListDescription } from "#domain/list.ts";
import { newListRecord } from "#lists/newList.ts";
import { traktListIdOf } from "#sync/ensureTraktList.ts";
import { type SyncListDeps, syncList } from "#sync/syncList.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import { catalogTitle, manualList, movieItems } from "#test/support/builders.ts";
import { MemoryCatalogSource } from "#test/support/memoryCatalog.ts";
import { useSandboxAndTable } from "#test/support/sandboxAndTable.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

let catalog: MemoryCatalogSource;
let userCounter = 0;

// Writes are not what these tests are about: keep Trakt's and our write interval short.
const real = useSandboxAndTable({ writeIntervalMs: 5 });

beforeAll(async () => {
  catalog = new MemoryCatalogSource([
    catalogTitle({ tmdbId: 1, rating: 9.0, votes: 300_000, genres: ["drama"] }),
    catalogTitle({ tmdbId: 2, rating: 8.0, votes: 300_000, genres: ["comedy"] }),
    catalogTitle({ tmdbId: 3, rating: 7.0, votes: 300_000, genres: ["drama"], language: "fr" }),
    catalogTitle({ tmdbId: 4, rating: 9.5, votes: 12, genres: ["drama"] }),
    catalogTitle({ tmdbId: 5, rating: 6.0, votes: 300_000, genres: ["drama"], mediaType: "show" }),
  ]);
});

beforeEach(() => real.sandbox.clearFaults());

async function setup() {
  const userId = `sync-user-${++userCounter}`;
  await linkSandboxUser(real.sandbox, real.users, userId);
  const session = new TraktUserSession({
    client: real.client,
    auth: real.users,
    pacer: new DynamoWritePacer(real.table.doc, real.table.tableName, 10),
    userId,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
  });
  const deps: SyncListDeps = { lists: real.lists, items: real.items, catalog, session, writeBatchSize: 100 };
  return { userId, session, deps };
}

async function createManualList(userId: string, count: number, firstTmdbId = 1_000) {
  const list = manualList(userId, { localItemCount: count });
  await real.items.putItems(list.listId, movieItems(count, firstTmdbId));
  await real.lists.create(list);
  return list;
}

function traktItemsOf(userId: string, traktListId: number) {
  const twin = real.sandbox.listsOf(userId).find((l) => l.ids.trakt === traktListId);
  return twin?.items.map((item) => item.movie?.ids.tmdb ?? item.show?.ids.tmdb) ?? [];
}

describe("syncList", () => {
  it("creates the Trakt list and pushes every item in rank order, at most 100 per write", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 250);

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "created", { forceFull: true }));

    // Assess
    expect(outcome.status).toBe("synced");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.syncState).toBe("synced");
    expect(stored?.traktItemCount).toBe(250);
    expect(stored?.lastAdded).toBe(250);
    expect(traktItemsOf(userId, stored!.traktListId!)).toEqual(movieItems(250, 1_000).map((i) => i.tmdbId));
    const addWrites = real.sandbox.writeLog(userId).filter((w) => w.path.endsWith("/items"));
    expect(addWrites).toHaveLength(3);
    expect(real.sandbox.listsOf(userId)).toHaveLength(1);
  });

  it("removes extra items, adds missing ones and reorders to our ranks", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 10);
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));
    const current = await real.items.getItems(list.listId);
    await real.items.deleteItems(list.listId, current.slice(0, 3));
    const reversed = current.slice(3).map((item, i) => ({ ...item, rank: 100 - i }));
    await real.items.putItems(list.listId, [
      ...reversed,
      ...movieItems(2, 5_000).map((i) => ({ ...i, rank: 200 + i.rank })),
    ]);

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "items_changed"));

    // Assess
    expect(outcome.status).toBe("synced");
    const expected = (await real.items.getItems(list.listId)).map((i) => i.tmdbId);
    const stored = await real.lists.get(userId, list.listId);
    expect(traktItemsOf(userId, stored!.traktListId!)).toEqual(expected);
    expect(stored?.lastRemoved).toBe(3);
    expect(stored?.lastAdded).toBe(2);
    expect(real.sandbox.writeLog(userId).some((w) => w.path.endsWith("/reorder"))).toBe(true);
  });

  it("reports the items Trakt cannot match on the list and does not send them again", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = manualList(userId);
    await real.items.putItems(list.listId, [
      ...movieItems(3, 100),
      ...movieItems(2, 90_000_000).map((i) => ({ ...i, rank: i.rank + 3 })),
    ]);
    await real.lists.create(list);
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));
    const writesAfterFirst = real.sandbox.writeLog(userId).length;

    // Act
    const second = await syncList(deps, newSyncRequest(userId, list.listId, "manual"));

    // Assess
    expect(second.status).toBe("synced");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.notFound.map((i) => i.tmdbId)).toEqual([90_000_000, 90_000_001]);
    expect(stored?.notFoundCount).toBe(2);
    const flagged = (await real.items.getItems(list.listId)).filter((item) => item.notFoundOnTrakt);
    expect(flagged.map((i) => i.tmdbId)).toEqual([90_000_000, 90_000_001]);
    expect(stored?.traktItemCount).toBe(3);
    expect(real.sandbox.writeLog(userId).length).toBe(writesAfterFirst);
  });

  it("fills a custom list with the best-ranked catalog titles that pass its filters", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = newListRecord(
      userId,
      {
        title: "Drama",
        listType: "custom",
        filters: { genres: ["drama"], mediaTypes: ["movie"] },
        itemLimit: 2,
      },
      new Date(),
    );
    await real.lists.create(list);

    // Act
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess: title 4 has a 9.5 from 12 votes and ranks below 3's 7.0 from 300,000
    const stored = await real.lists.get(userId, list.listId);
    expect((await real.items.getItems(list.listId)).map((i) => i.tmdbId)).toEqual([1, 3]);
    expect(traktItemsOf(userId, stored!.traktListId!)).toEqual([1, 3]);
  });

  it("finds its Trakt list by the marker after a crash between creating it and storing its id", async () => {
    // Prepare: a worker took the lease (now run out), made the Trakt list and died before storing its id
    const { userId, session, deps } = await setup();
    const list = await createManualList(userId, 3);
    await real.lists.claimTraktListCreation(userId, list.listId, -1);
    await session.createList({
      name: list.title,
      description: traktListDescription(list.listId),
      privacy: "private",
    });

    // Act
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess
    expect(real.sandbox.listsOf(userId)).toHaveLength(1);
    expect((await real.lists.get(userId, list.listId))?.traktListId).toBe(
      real.sandbox.listsOf(userId)[0]!.ids.trakt,
    );
  });

  it("creates exactly one Trakt list when several workers race for a new list", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 1);

    // Act
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => traktListIdOf(deps, list)));

    // Assess
    const ids = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(real.sandbox.listsOf(userId)).toHaveLength(1);
    expect(new Set(ids).size).toBe(1);
  });

  it("deletes the Trakt list it just created when the list was deleted meanwhile", async () => {
    // Prepare: the user deletes the list between our Trakt call and our write
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 1);
    const deletingStore: SyncListDeps["lists"] = Object.create(real.lists, {
      storeTraktList: {
        value: async (...args: Parameters<ListRepository["storeTraktList"]>) => {
          await real.lists.delete(userId, list.listId);
          return real.lists.storeTraktList(...args);
        },
      },
    });

    // Act
    const attempt = traktListIdOf({ ...deps, lists: deletingStore }, list);

    // Assess
    await expect(attempt).rejects.toThrow(/deleted meanwhile/);
    expect(real.sandbox.listsOf(userId)).toHaveLength(0);
  });

  it("re-creates a Trakt list deleted on Trakt, once, and records that", async () => {
    // Prepare
    const { userId, session, deps } = await setup();
    const list = await createManualList(userId, 4);
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));
    const first = (await real.lists.get(userId, list.listId))!.traktListId!;
    await session.deleteList(first);

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "manual"));

    // Assess
    expect(outcome.status).toBe("synced");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.traktListId).not.toBe(first);
    expect(stored?.traktListRecreatedAt).toBeDefined();
    expect(traktItemsOf(userId, stored!.traktListId!)).toHaveLength(4);
    expect(real.sandbox.listsOf(userId)).toHaveLength(1);
  });

  it("re-creates a stale Trakt list id with a pending rename, holding the list's items", async () => {
    // Prepare: an imported list whose Trakt list id Trakt does not know, renamed before any sync
    const { userId, deps } = await setup();
    const list = manualList(userId, { localItemCount: 5, traktListId: 987_654, title: "Old name" });
    await real.items.putItems(list.listId, movieItems(5, 700));
    await real.lists.create(list);
    await real.lists.update(userId, list.listId, { title: "New name" });

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "list_changed"));

    // Assess
    expect(outcome.status).toBe("synced");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.traktListId).not.toBe(987_654);
    expect(stored?.traktListRecreatedAt).toBeDefined();
    expect(real.sandbox.listsOf(userId)).toHaveLength(1);
    expect(real.sandbox.listsOf(userId)[0]).toMatchObject({ name: "New name" });
    expect(traktItemsOf(userId, stored!.traktListId!)).toEqual([700, 701, 702, 703, 704]);
  });

  it("re-creates a Trakt list deleted on Trakt when the first call to meet it is the rename", async () => {
    // Prepare
    const { userId, session, deps } = await setup();
    const list = await createManualList(userId, 3, 800);
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));
    const first = (await real.lists.get(userId, list.listId))!.traktListId!;
    await session.deleteList(first);
    await real.lists.update(userId, list.listId, { title: "Renamed after deletion" });

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "list_changed"));

    // Assess
    expect(outcome.status).toBe("synced");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.traktListId).not.toBe(first);
    expect(stored?.traktListRecreatedAt).toBeDefined();
    expect(real.sandbox.listsOf(userId).map((l) => l.name)).toEqual(["Renamed after deletion"]);
    expect(traktItemsOf(userId, stored!.traktListId!)).toEqual([800, 801, 802]);
  });

  it("syncs a 5,000-title manual list Trakt knows none of, recording notFoundCount 5000 on a small record", async () => {
    // Prepare: user-supplied titles, long enough that 5,000 of them outgrow a 400 KB record
    const { userId, deps } = await setup();
    const list = manualList(userId, { localItemCount: 5_000 });
    const unknown = movieItems(5_000, 90_100_000).map((item) => ({
      ...item,
      title: `${item.title}: an imported title nobody has heard of, with a long subtitle to match`,
    }));
    await real.items.putItems(list.listId, unknown);
    await real.lists.create(list);

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess
    expect(outcome.status).toBe("synced");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored).toMatchObject({ syncState: "synced", notFoundCount: 5_000, traktItemCount: 0 });
    expect(stored!.notFound.length).toBeLessThanOrEqual(20);
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(50_000);
    const flagged = (await real.items.getItems(list.listId)).filter((item) => item.notFoundOnTrakt);
    expect(flagged).toHaveLength(5_000);
    const writesBefore = real.sandbox.writeLog(userId).length;
    await syncList(deps, newSyncRequest(userId, list.listId, "manual"));
    expect(real.sandbox.writeLog(userId).length).toBe(writesBefore);
  }, 300_000);

  it("converges without duplicates when Trakt applies a write but answers 503", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 150);
    real.sandbox.setFaults({
      rules: [
        {
          kind: "error_after_apply",
          status: 503,
          times: 2,
          match: { method: "POST", pathPattern: "/items" },
        },
      ],
    });

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess
    expect(outcome.status).toBe("synced");
    const stored = await real.lists.get(userId, list.listId);
    expect(traktItemsOf(userId, stored!.traktListId!)).toEqual(movieItems(150, 1_000).map((i) => i.tmdbId));
    expect(real.sandbox.stats()[userId]?.faults.error_after_apply).toBe(2);
  });

  it("pushes the top-ranked items that fit when Trakt's item limit is reached, and says so", async () => {
    // Prepare
    const { userId, deps } = await setup();
    real.sandbox.setLimits(userId, { itemCount: 120 });
    const list = await createManualList(userId, 200);

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess
    expect(outcome.status).toBe("limited");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.syncState).toBe("limited");
    expect(stored?.limit).toMatchObject({ itemCount: 120, pushed: 120, wanted: 200 });
    expect(stored?.lastError?.message).toContain("120");
    expect(traktItemsOf(userId, stored!.traktListId!)).toEqual(movieItems(120, 1_000).map((i) => i.tmdbId));
    expect(real.sandbox.listsOf(userId)).toHaveLength(1);
  });

  it("marks the list limited, without creating anything, when the account's list limit is reached", async () => {
    // Prepare
    const { userId, session, deps } = await setup();
    real.sandbox.setLimits(userId, { listCount: 1 });
    await session.createList({ name: "someone else's", description: "", privacy: "private" });
    const list = await createManualList(userId, 2);

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess
    expect(outcome.status).toBe("failed");
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.syncState).toBe("limited");
    expect(stored?.lastError?.code).toBe("trakt_list_count_limit");
    expect(stored?.lastError?.message).toContain("1 lists");
    expect(real.sandbox.listsOf(userId)).toHaveLength(1);
  });

  it("renames the Trakt list and changes its privacy when the list's settings change", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 2);
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));
    await real.lists.update(userId, list.listId, { title: "Renamed", privacy: "friends" });
    const writesBefore = real.sandbox.writeLog(userId).length;

    // Act
    await syncList(deps, newSyncRequest(userId, list.listId, "list_changed"));
    await syncList(deps, newSyncRequest(userId, list.listId, "manual", { forceFull: true }));

    // Assess: one rename write, not repeated by the next sync
    const twin = real.sandbox.listsOf(userId)[0];
    expect(twin).toMatchObject({ name: "Renamed", privacy: "friends" });
    expect(real.sandbox.writeLog(userId).length - writesBefore).toBe(1);
    expect(await real.lists.get(userId, list.listId)).toMatchObject({
      traktListName: "Renamed",
      traktListPrivacy: "friends",
    });
  });

  it("marks the list auth_required, without retrying, when Trakt rejects the user's refresh token", async () => {
    // Prepare: the stored refresh token was spent elsewhere and the access token expired
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 2);
    await real.client.refreshToken((await real.users.load(userId))!.refreshToken);
    real.sandbox.expireTokens(userId);

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess
    expect(outcome.status === "failed" && outcome.failure.retry).toBe(false);
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.syncState).toBe("auth_required");
    expect(stored?.lastError?.message).toMatch(/Link your Trakt account again/);
    expect((await real.users.getProfile(userId))?.traktLinkState).toBe("relink_required");
  });

  it.each([
    [423, "account_locked", /locked/],
    [426, "vip_required", /VIP/],
  ])("turns Trakt's %i into the clear state %s, without retrying", async (status, state, message) => {
    // Prepare
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 2);
    real.sandbox.setFaults({ rules: [{ kind: "error_before_apply", status, match: { user: userId } }] });

    // Act
    const outcome = await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Assess
    expect(outcome.status === "failed" && outcome.failure.retry).toBe(false);
    const stored = await real.lists.get(userId, list.listId);
    expect(stored?.syncState).toBe(state);
    expect(stored?.lastError?.message).toMatch(message);
  });

  it("skips a request that a sync started after it already covered", async () => {
    // Prepare
    const { userId, deps } = await setup();
    const list = await createManualList(userId, 2);
    const early = newSyncRequest(userId, list.listId, "items_changed", {
      now: new Date(Date.now() - 60_000),
    });
    await syncList(deps, newSyncRequest(userId, list.listId, "created"));

    // Act
    const outcome = await syncList(deps, early);

    // Assess
    expect(outcome).toEqual({ status: "skipped", reason: "a later sync already covered it" });
  });
});
