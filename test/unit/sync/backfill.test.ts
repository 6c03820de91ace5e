import { describe, expect, it } from "vitest";
import { type ListRecord, traktListDescription } from "#domain/list.ts";
import { runBackfill } from "#sync/backfill.ts";
import { TraktAuthRequiredError } from "#sync/traktErrors.ts";
import { MemoryListStore, MemorySyncQueue } from "#test/support/fakes/memoryLists.ts";
import { MemoryTraktSession } from "#test/support/fakes/memoryTraktSession.ts";
import { newList } from "#test/support/fakes/syncWorld.ts";

const hour = 3_600_000;
const day = 24 * hour;

/** Lists in memory, one Trakt session per user, and the backfill over them. */
function backfillWorld() {
  const lists = new MemoryListStore();
  const queue = new MemorySyncQueue();
  const sessions = new Map<string, MemoryTraktSession>();
  const sessionOf = (userId: string) => {
    const session = sessions.get(userId) ?? new MemoryTraktSession();
    sessions.set(userId, session);
    return session;
  };
  const deps = { lists, queue, sessionFor: async (userId: string) => sessionOf(userId) };
  const add = (listId: string, overrides: Partial<ListRecord> = {}) =>
    lists.put(newList({ listId, syncState: "pending", ...overrides }));
  /** A list whose last sync finished well: on Trakt with `onTrakt` items, due for its check in a day. */
  const synced = async (listId: string, localItemCount: number, onTrakt: number, userId = "user-1") => {
    const traktListId = sessionOf(userId).seedList(
      // The name and privacy the list has (newList: "My list", private), as its sync left them.
      { name: "My list", description: traktListDescription(listId, { installId: "install-1", userId }) },
      Array.from({ length: onTrakt }, (_, i) => i + 1),
    );
    add(listId, {
      userId,
      traktListId,
      localItemCount,
      traktListName: "My list",
      traktListPrivacy: "private",
    });
    await lists.markSyncStarted(userId, listId, "2025-01-01T12:00:00.000Z");
    await lists.recordSyncResult(userId, listId, {
      state: "synced",
      startedAt: "2025-01-01T12:00:00.000Z",
      finishedAt: "2025-01-01T12:00:01.000Z",
      localItemCount,
      traktItemCount: onTrakt,
      added: onTrakt,
      removed: 0,
      notFound: [],
    });
    return traktListId;
  };
  const later = (ms: number) => {
    lists.now += ms;
  };
  return { lists, queue, deps, add, synced, later, sessionOf };
}

describe("runBackfill: which lists it takes", () => {
  it("queues a sync for each list due for repair, once: its due time moves on", async () => {
    // Prepare: two new lists whose first sync never came
    const world = backfillWorld();
    world.add("a");
    world.add("b");
    world.later(hour);

    // Act
    const first = await runBackfill(world.deps, { maxLists: 100 });
    const second = await runBackfill(world.deps, { maxLists: 100 });

    // Assess
    expect(first).toMatchObject({ examined: 2, repairsQueued: 2, truncated: false });
    expect(world.queue.sent.map((r) => [r.listId, r.reason])).toEqual([
      ["a", "backfill"],
      ["b", "backfill"],
    ]);
    expect(second).toMatchObject({ examined: 0, repairsQueued: 0 });
  });

  it("leaves lists that are not due yet", async () => {
    // Prepare: created a minute ago (due after two)
    const world = backfillWorld();
    world.add("fresh");
    world.later(60_000);

    // Act
    const report = await runBackfill(world.deps, { maxLists: 100 });

    // Assess
    expect(report.examined).toBe(0);
    expect(world.queue.sent).toEqual([]);
  });

  it("stops at maxLists and says more are due", async () => {
    // Prepare
    const world = backfillWorld();
    for (let i = 0; i < 5; i++) world.add(`l${i}`, { userId: `user-${i}` });
    world.later(hour);

    // Act
    const report = await runBackfill(world.deps, { maxLists: 3, pageSize: 2 });

    // Assess
    expect(report).toMatchObject({ examined: 3, repairsQueued: 3, truncated: true });
  });

  it("takes at most maxListsPerUser of one user's lists per run, so others are not starved", async () => {
    // Prepare: one user floods, another has two lists
    const world = backfillWorld();
    for (let i = 0; i < 10; i++) world.add(`flood-${i}`, { userId: "flood" });
    world.later(hour);
    world.add("ann-1", { userId: "ann" });
    world.add("ann-2", { userId: "ann" });
    world.later(hour);

    // Act
    const report = await runBackfill(world.deps, { maxLists: 20, maxListsPerUser: 3 });

    // Assess
    expect(report).toMatchObject({ examined: 5, deferredForFairness: 7 });
    expect(world.queue.sent.filter((r) => r.userId === "ann")).toHaveLength(2);
  });
});

describe("runBackfill: synced lists due for their check", () => {
  it("queues a sync for a list whose Trakt count drifted, and none for one that agrees", async () => {
    // Prepare
    const world = backfillWorld();
    await world.synced("agrees", 3, 3);
    await world.synced("drifted", 3, 2);
    world.later(day + hour);

    // Act
    const report = await runBackfill(world.deps, { maxLists: 100 });

    // Assess
    expect(report).toMatchObject({ verified: 2, drifted: 1, repairsQueued: 0 });
    expect(world.queue.sent.map((r) => [r.listId, r.reason])).toEqual([["drifted", "drift"]]);
    expect(
      world.lists.repairDueAtOf("user-1", "agrees")! > world.lists.repairDueAtOf("user-1", "drifted")!,
    ).toBe(true);
  });

  it("queues a sync for a list whose Trakt name or privacy differs, with what Trakt holds recorded so the sync pushes ours", async () => {
    // Prepare: a rename that never reached Trakt (the sync recorded the old name), and a privacy changed on Trakt
    const world = backfillWorld();
    await world.synced("renamed", 3, 3);
    await world.synced("made-public", 3, 3);
    world.lists.edit("user-1", "renamed", (list) => {
      list.title = "New name";
    });
    const madePublic = await world.lists.get("user-1", "made-public");
    world.sessionOf("user-1").lists.get(madePublic!.traktListId!)!.list.privacy = "public";
    world.later(day + hour);

    // Act
    const report = await runBackfill(world.deps, { maxLists: 100 });

    // Assess
    expect(report).toMatchObject({ verified: 2, drifted: 2 });
    expect(world.queue.sent.map((r) => [r.listId, r.reason]).sort()).toEqual([
      ["made-public", "drift"],
      ["renamed", "drift"],
    ]);
    expect(await world.lists.get("user-1", "made-public")).toMatchObject({
      privacy: "private",
      traktListPrivacy: "public",
    });
    expect(await world.lists.get("user-1", "renamed")).toMatchObject({
      title: "New name",
      traktListName: "My list",
    });
  });

  it("postpones a user whose Trakt cannot be read", async () => {
    // Prepare
    const world = backfillWorld();
    await world.synced("a", 1, 1);
    world.later(day + hour);
    world.sessionOf("user-1").failNext("getLists", new TraktAuthRequiredError());

    // Act
    const report = await runBackfill(world.deps, { maxLists: 100 });

    // Assess
    expect(report).toMatchObject({ usersUnreachable: 1, verified: 0 });
    expect(world.queue.sent).toEqual([]);
    expect(Date.parse(world.lists.repairDueAtOf("user-1", "a")!)).toBe(world.lists.now + day);
  });

  it("deletes the Trakt list of a list this install deleted, and leaves other marked lists alone", async () => {
    // Prepare
    const world = backfillWorld();
    await world.synced("kept", 1, 1);
    const orphan = await world.synced("deleted-here", 1, 1);
    world.lists.remove("user-1", "deleted-here");
    const session = world.sessionOf("user-1");
    session.seedList({
      name: "x",
      description: traktListDescription("never-ours", { installId: "install-1", userId: "user-1" }),
    });
    world.later(day + hour);
    const deleted: string[] = [];

    // Act
    const report = await runBackfill(
      { ...world.deps, onTraktListDeleted: (deletion) => deleted.push(deletion.listId) },
      { maxLists: 100 },
    );

    // Assess
    expect(report).toMatchObject({ orphansRemoved: 1, notOurs: 1 });
    expect(deleted).toEqual(["deleted-here"]);
    expect(session.lists.has(orphan)).toBe(false);
    expect(session.lists.size).toBe(2);
  });

  it("sweeps once after a deletion, even when the user has no other list: a Trakt list created meanwhile goes", async () => {
    // Prepare: the list's Trakt list landed after its deletion (its creator died before storing the id)
    const world = backfillWorld();
    world.add("raced");
    const landed = world.sessionOf("user-1").seedList({
      name: "raced",
      description: traktListDescription("raced", { installId: "install-1", userId: "user-1" }),
    });
    world.lists.remove("user-1", "raced");
    world.later(3 * 60_000);

    // Act
    const first = await runBackfill(world.deps, { maxLists: 100 });
    const second = await runBackfill(world.deps, { maxLists: 100 });

    // Assess
    expect(first).toMatchObject({ examined: 1, orphansRemoved: 1, repairsQueued: 0 });
    expect(world.sessionOf("user-1").lists.has(landed)).toBe(false);
    expect(second).toMatchObject({ examined: 0 });
  });

  it("keeps a deleted list's sweep due while Trakt cannot be reached", async () => {
    // Prepare
    const world = backfillWorld();
    world.add("gone");
    world.lists.remove("user-1", "gone");
    world.sessionOf("user-1").failNext("getLists", new TraktAuthRequiredError());
    world.later(3 * 60_000);

    // Act
    const first = await runBackfill(world.deps, { maxLists: 100 });
    world.later(2 * day);
    const second = await runBackfill(world.deps, { maxLists: 100 });

    // Assess
    expect(first).toMatchObject({ examined: 1, usersUnreachable: 1 });
    expect(second).toMatchObject({ examined: 1, usersUnreachable: 0 });
  });
});
