import { describe, expect, it } from "vitest";
import { syncList } from "#sync/syncList.ts";
import { WriteDeferredError } from "#sync/traktErrors.ts";
import { traktHttpError } from "#test/support/fakes/memoryTraktSession.ts";
import { manualItems, syncWorld } from "#test/support/fakes/syncWorld.ts";

describe("syncList", () => {
  it("creates the Trakt list and pushes every item in rank order", async () => {
    // Prepare
    const world = syncWorld(manualItems(5));

    // Act
    const outcome = await syncList(world.deps, world.request());

    // Assess
    expect(outcome.status).toBe("synced");
    const list = await world.stored();
    expect(world.session.tmdbIdsOf(list.traktListId!)).toEqual([1, 2, 3, 4, 5]);
    expect(list).toMatchObject({ syncState: "synced", traktItemCount: 5, lastAdded: 5, lastRemoved: 0 });
  });

  it("removes what is not wanted and reorders what is, in one sync", async () => {
    // Prepare: Trakt holds 3, 1, 9 (9 is not ours to keep)
    const world = syncWorld(manualItems(3));
    const traktListId = world.session.seedList({ name: "My list" }, [3, 1, 9]);
    await world.lists.storeTraktList(
      "user-1",
      "list-1",
      { id: traktListId, slug: "s", name: "My list", privacy: "private" },
      { recreated: false },
    );

    // Act
    const outcome = await syncList(world.deps, world.request());

    // Assess
    expect(outcome.status).toBe("synced");
    expect(world.session.tmdbIdsOf(traktListId)).toEqual([1, 2, 3]);
    expect(await world.stored()).toMatchObject({ lastAdded: 1, lastRemoved: 1 });
    expect(world.session.calls).toContain(`reorderItems ${traktListId}`);
  });

  describe("404: our Trakt list is gone", () => {
    it("creates it again, once, records that, and fills it", async () => {
      // Prepare: a synced list whose Trakt list was then deleted on Trakt
      const world = syncWorld(manualItems(3));
      await syncList(world.deps, world.request());
      const first = (await world.stored()).traktListId!;
      world.session.lists.delete(first);

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("synced");
      const list = await world.stored();
      expect(list.traktListId).not.toBe(first);
      expect(list.traktListRecreatedAt).toBeDefined();
      expect(world.session.tmdbIdsOf(list.traktListId!)).toEqual([1, 2, 3]);
      expect(world.session.calls.filter((call) => call === "createList")).toHaveLength(2);
    });

    it("creates it again when the first call to meet it is the rename", async () => {
      // Prepare
      const world = syncWorld(manualItems(2));
      await syncList(world.deps, world.request());
      const first = (await world.stored()).traktListId!;
      world.session.lists.delete(first);
      world.lists.stored.get("user-1/list-1")!.record.title = "Renamed";

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("synced");
      const list = await world.stored();
      expect(world.session.lists.get(list.traktListId!)?.list.name).toBe("Renamed");
      expect(world.session.calls).toContain(`updateList ${first}`);
    });

    it("fails (and is retried) when the re-created list is gone too", async () => {
      // Prepare: every read of any list answers 404
      const world = syncWorld(manualItems(1));
      await syncList(world.deps, world.request());
      const original = world.session.getAllListItems.bind(world.session);
      world.session.getAllListItems = async (id: number) => {
        world.session.lists.delete(id);
        return original(id);
      };

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("failed");
      expect(outcome.status === "failed" && outcome.failure).toMatchObject({
        code: "trakt_rejected",
        retry: true,
      });
    });
  });

  describe("420: Trakt's item limit", () => {
    it("keeps the top-ranked items that fit and says so on the list", async () => {
      // Prepare
      const world = syncWorld(manualItems(5));
      world.session.itemLimit = 3;

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("limited");
      const list = await world.stored();
      expect(world.session.tmdbIdsOf(list.traktListId!)).toEqual([1, 2, 3]);
      expect(list).toMatchObject({ syncState: "limited", limit: { itemCount: 3, pushed: 3, wanted: 5 } });
      expect(list.lastError?.code).toBe("trakt_item_limit");
    });

    it("pushes whole batches until the limit, then trims to what fits", async () => {
      // Prepare: batches of 2, room for 3
      const world = syncWorld(manualItems(6));
      world.deps.writeBatchSize = 2;
      world.session.itemLimit = 3;

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("limited");
      expect(world.session.tmdbIdsOf((await world.stored()).traktListId!)).toEqual([1, 2, 3]);
    });

    it("a limited list's next sync reads the limit first and sends only what fits", async () => {
      // Prepare
      const world = syncWorld(manualItems(5));
      world.session.itemLimit = 3;
      await syncList(world.deps, world.request());
      world.session.calls.length = 0;

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("limited");
      expect(world.session.calls).toContain("getSettings");
      expect(world.session.calls.some((call) => call.startsWith("addItems"))).toBe(false);
    });
  });

  describe("titles Trakt cannot match", () => {
    it("are recorded on the list and its items, and not sent again by the next sync", async () => {
      // Prepare
      const world = syncWorld(manualItems(3));
      world.session.unknownTitles.add("movie:tmdb:2");
      await syncList(world.deps, world.request());
      world.session.calls.length = 0;

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("synced");
      const list = await world.stored();
      expect(list).toMatchObject({ notFoundCount: 1, notFound: [{ tmdbId: 2 }], traktItemCount: 2 });
      expect(world.items.items.get("list-1")?.find((item) => item.tmdbId === 2)?.notFoundOnTrakt).toBe(true);
      expect(world.session.calls.some((call) => call.startsWith("addItems"))).toBe(false);
    });

    it("are sent again by a full sync, and lose their flag once Trakt knows them", async () => {
      // Prepare
      const world = syncWorld(manualItems(3));
      world.session.unknownTitles.add("movie:tmdb:2");
      await syncList(world.deps, world.request());
      world.session.unknownTitles.clear();

      // Act
      const outcome = await syncList(world.deps, world.request({ forceFull: true }));

      // Assess
      expect(outcome.status).toBe("synced");
      const list = await world.stored();
      expect(world.session.tmdbIdsOf(list.traktListId!)).toEqual([1, 2, 3]);
      expect(list.notFoundCount).toBe(0);
      expect(world.items.items.get("list-1")?.some((item) => item.notFoundOnTrakt)).toBe(false);
    });

    it("known from an earlier sync, take no slot under the item limit", async () => {
      // Prepare: Trakt could not match the first title; then the list is emptied on Trakt and room is 2
      const world = syncWorld(manualItems(4));
      world.session.unknownTitles.add("movie:tmdb:1");
      await syncList(world.deps, world.request());
      world.session.lists.get((await world.stored()).traktListId!)!.entries = [];
      world.session.itemLimit = 2;

      // Act
      const outcome = await syncList(world.deps, world.request());

      // Assess
      expect(outcome.status).toBe("limited");
      expect(world.session.tmdbIdsOf((await world.stored()).traktListId!)).toEqual([2, 3]);
    });
  });

  it("converges without duplicates when Trakt applies a write but answers 503", async () => {
    // Prepare
    const world = syncWorld(manualItems(3));
    world.session.failNext("addItems", traktHttpError(503), { afterApply: true });

    // Act: the sync that meets the 503, then its retry
    const failed = await syncList(world.deps, world.request());
    const retried = await syncList(world.deps, world.request());

    // Assess
    expect(failed.status === "failed" && failed.failure).toMatchObject({
      code: "trakt_unavailable",
      retry: true,
    });
    expect(retried.status).toBe("synced");
    expect(world.session.tmdbIdsOf((await world.stored()).traktListId!)).toEqual([1, 2, 3]);
    expect((await world.stored()).lastAdded).toBe(0);
  });

  it("leaves a deferred sync `syncing`, in the repair index, with nothing recorded", async () => {
    // Prepare
    const world = syncWorld(manualItems(3));
    world.session.failNext("addItems", new WriteDeferredError(7_000));

    // Act
    const outcome = await syncList(world.deps, world.request());

    // Assess
    expect(outcome).toEqual({ status: "deferred", delayMs: 7_000 });
    const list = await world.stored();
    expect(list.syncState).toBe("syncing");
    expect(list.lastError).toBeUndefined();
    expect(world.lists.repairDueAtOf("user-1", "list-1")).toBeDefined();
  });

  it("skips a request a later sync already covered, and a list that is gone", async () => {
    // Prepare
    const world = syncWorld(manualItems(1));
    const early = world.request();
    await syncList(world.deps, world.request());

    // Act
    const covered = await syncList(world.deps, early);
    world.lists.remove("user-1", "list-1");
    const gone = await syncList(world.deps, world.request());

    // Assess
    expect(covered).toEqual({ status: "skipped", reason: "a later sync already covered it" });
    expect(gone).toEqual({ status: "skipped", reason: "list no longer exists" });
  });
});
