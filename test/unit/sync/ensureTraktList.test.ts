import { describe, expect, it } from "vitest";
import { markerIn, traktListDescription } from "#domain/list.ts";
import { ensureTraktList } from "#sync/ensureTraktList.ts";
import type { ListStore } from "#sync/ports.ts";
import { traktHttpError } from "#test/support/fakes/memoryTraktSession.ts";
import { syncWorld } from "#test/support/fakes/syncWorld.ts";

const owner = { installId: "install-1", userId: "user-1" };

describe("ensureTraktList", () => {
  it("creates one Trakt list carrying our marker and stores its id", async () => {
    // Prepare
    const world = syncWorld();

    // Act
    const outcome = await ensureTraktList(world.deps, world.list);

    // Assess
    expect(outcome.status).toBe("ready");
    const traktListId = outcome.status === "ready" ? outcome.traktListId : undefined;
    expect((await world.stored()).traktListId).toBe(traktListId);
    const onTrakt = world.session.lists.get(traktListId!)!.list;
    expect(markerIn(onTrakt.description)).toEqual({ listId: "list-1", ...owner });
    expect(world.lists.stored.get("user-1/list-1")!.leaseUntil).toBeUndefined();
  });

  it("answers the stored id without asking Trakt", async () => {
    // Prepare
    const world = syncWorld([], { traktListId: 42 });

    // Act
    const outcome = await ensureTraktList(world.deps, world.list);

    // Assess
    expect(outcome).toEqual({ status: "ready", traktListId: 42 });
    expect(world.session.calls).toEqual([]);
  });

  describe("the creation lease", () => {
    it("while another worker holds it: busy, retried, not shown on the list", async () => {
      // Prepare
      const world = syncWorld();
      await world.lists.claimTraktListCreation("user-1", "list-1", 60_000);

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome.status === "failed" && outcome.failure).toMatchObject({
        code: "list_busy",
        retry: true,
        record: false,
      });
      expect((await world.stored()).syncState).toBe("pending");
      expect(world.session.calls).toEqual([]);
    });

    it("once run out, is taken by the next worker", async () => {
      // Prepare: a worker claimed 61 s ago and died
      const world = syncWorld();
      await world.lists.claimTraktListCreation("user-1", "list-1", 60_000);
      world.tick(61_000);

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome.status).toBe("ready");
      expect(world.session.lists.size).toBe(1);
    });

    it("finds the id another worker stored meanwhile, without creating one", async () => {
      // Prepare: our copy of the list predates the other worker's store
      const world = syncWorld();
      await world.lists.storeTraktList(
        "user-1",
        "list-1",
        { id: 7, slug: "s", name: "My list", privacy: "private" },
        { recreated: false },
      );

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome).toEqual({ status: "ready", traktListId: 7 });
      expect(world.session.calls).toEqual([]);
    });

    it("is given up when Trakt fails, so the retry need not wait for it", async () => {
      // Prepare
      const world = syncWorld();
      for (let i = 0; i < 3; i++) world.session.failNext("createList", traktHttpError(503));

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome.status === "failed" && outcome.failure).toMatchObject({
        code: "trakt_unavailable",
        retry: true,
      });
      expect(await world.lists.claimTraktListCreation("user-1", "list-1", 60_000)).toBe("claimed");
    });
  });

  describe("the marker", () => {
    it("adopts a marked Trakt list an earlier worker made before dying", async () => {
      // Prepare: the earlier worker took the lease (now run out), made the list and died.
      const world = syncWorld();
      await world.lists.claimTraktListCreation("user-1", "list-1", -1);
      const made = world.session.seedList({
        name: "My list",
        description: traktListDescription("list-1", owner),
      });

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome).toEqual({ status: "ready", traktListId: made });
      expect(world.session.calls).not.toContain("createList");
    });

    it("creates without looking on the first lease ever taken, and looks on every later one", async () => {
      // Prepare
      const first = syncWorld();
      const later = syncWorld();
      await later.lists.claimTraktListCreation("user-1", "list-1", -1);

      // Act
      await ensureTraktList(first.deps, first.list);
      await ensureTraktList(later.deps, later.list);

      // Assess
      expect(first.session.calls).toEqual(["createList"]);
      expect(later.session.calls).toEqual(["getLists", "createList"]);
    });

    it("looks again before recreating a Trakt list it forgot (gone on Trakt)", async () => {
      // Prepare
      const world = syncWorld();
      const gone = world.session.seedList({ name: "My list" });
      await world.lists.storeTraktList(
        "user-1",
        "list-1",
        { id: gone, slug: "my-list", name: "My list", privacy: "private" },
        { recreated: false },
      );
      await world.lists.forgetTraktList("user-1", "list-1", gone);
      const list = (await world.lists.get("user-1", "list-1"))!;

      // Act
      await ensureTraktList(world.deps, list);

      // Assess
      expect(world.session.calls).toEqual(["getLists", "createList"]);
    });

    it("leaves a list marked by another install alone and creates ours", async () => {
      // Prepare
      const world = syncWorld();
      const theirs = world.session.seedList({
        name: "My list",
        description: traktListDescription("list-1", { installId: "other", userId: "user-1" }),
      });

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome.status === "ready" && outcome.traktListId).not.toBe(theirs);
      expect(world.session.lists.size).toBe(2);
    });

    it("409: adopts the list Trakt says exists when it carries our marker", async () => {
      // Prepare: Trakt creates the list but answers 409
      const world = syncWorld();
      world.session.failNext("createList", traktHttpError(409), { afterApply: true });

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome.status).toBe("ready");
      expect(world.session.lists.size).toBe(1);
      expect(world.session.calls.filter((call) => call === "createList")).toHaveLength(1);
    });

    it("409 without a marked list: recorded, retried, never created blindly", async () => {
      // Prepare
      const world = syncWorld();
      world.session.failNext("createList", traktHttpError(409));

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome.status === "failed" && outcome.failure).toMatchObject({
        code: "trakt_list_conflict",
        retry: true,
      });
      expect((await world.stored()).lastError?.code).toBe("trakt_list_conflict");
      expect(world.session.lists.size).toBe(0);
    });

    it("a create that failed after Trakt made the list: found by its marker, not made twice", async () => {
      // Prepare
      const world = syncWorld();
      world.session.failNext("createList", traktHttpError(503), { afterApply: true });

      // Act
      const outcome = await ensureTraktList(world.deps, world.list);

      // Assess
      expect(outcome.status).toBe("ready");
      expect(world.session.lists.size).toBe(1);
    });
  });

  it("deletes the Trakt list it made when the list was deleted meanwhile", async () => {
    // Prepare: the user deletes the list between our Trakt call and our write
    const world = syncWorld();
    const deleting: ListStore = Object.create(world.lists, {
      storeTraktList: {
        value: async (...args: Parameters<ListStore["storeTraktList"]>) => {
          world.lists.remove("user-1", "list-1");
          return world.lists.storeTraktList(...args);
        },
      },
    });

    // Act
    const outcome = await ensureTraktList({ ...world.deps, lists: deleting }, world.list);

    // Assess
    expect(outcome.status === "failed" && outcome.failure).toMatchObject({
      code: "list_gone",
      retry: false,
      record: false,
    });
    expect(world.session.lists.size).toBe(0);
  });

  it("at Trakt's list limit: limited, with the limit, not retried", async () => {
    // Prepare
    const world = syncWorld();
    world.session.listLimit = 0;

    // Act
    const outcome = await ensureTraktList(world.deps, world.list);

    // Assess
    expect(outcome.status === "failed" && outcome.failure).toMatchObject({
      state: "limited",
      code: "trakt_list_count_limit",
      retry: false,
    });
    expect(await world.stored()).toMatchObject({ syncState: "limited", limit: { listCount: 0 } });
  });
});
