import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  TraktAuthRequiredError,
  TraktIncompleteReadError,
  TraktNetworkError,
  TraktNotLinkedError,
  WriteDeferredError,
} from "#sync/traktErrors.ts";
import { traktHttpError } from "#test/support/fakes/memoryTraktSession.ts";
import { manualItems, syncWorld } from "#test/support/fakes/syncWorld.ts";

process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
const { onSyncRequest } = await import("#lambdas/sync/handler.ts");

/** The sync function over the ports in memory; the list already has its Trakt list. */
function syncFunction(receiveCount = 1) {
  const world = syncWorld(manualItems(2));
  const traktListId = world.session.seedList({ name: "My list" });
  world.lists.stored.get("user-1/list-1")!.record.traktListId = traktListId;
  const returned: number[] = [];
  const slotWaits: number[] = [];
  const services = {
    ...world.deps,
    queue: {
      returnLater: async (_receiptHandle: string, seconds: number) => {
        returned.push(seconds);
      },
    },
    sessionFor: async (_userId: string, options: { maxSlotWaitMs: number }) => {
      slotWaits.push(options.maxSlotWaitMs);
      return world.session;
    },
  };
  const deliver = (body = JSON.stringify(world.request())) =>
    onSyncRequest(sqsRecord(body, receiveCount), services);
  return { world, deliver, returned, slotWaits };
}

function sqsRecord(body: string, receiveCount: number): SQSRecord {
  return {
    messageId: "m-1",
    receiptHandle: "r-1",
    body,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  } as unknown as SQSRecord;
}

describe("sync function: which failures go back to the queue", () => {
  const cases: { error: unknown; retried: boolean; state: string; code: string }[] = [
    {
      error: new TraktAuthRequiredError(),
      retried: false,
      state: "auth_required",
      code: "trakt_auth_required",
    },
    { error: new TraktNotLinkedError(), retried: false, state: "auth_required", code: "trakt_not_linked" },
    { error: traktHttpError(401), retried: false, state: "auth_required", code: "trakt_auth_required" },
    { error: traktHttpError(423), retried: false, state: "account_locked", code: "trakt_account_locked" },
    { error: traktHttpError(426), retried: false, state: "vip_required", code: "trakt_vip_required" },
    { error: traktHttpError(403), retried: true, state: "failed", code: "trakt_forbidden" },
    { error: traktHttpError(429), retried: true, state: "failed", code: "trakt_rate_limited" },
    { error: traktHttpError(503), retried: true, state: "failed", code: "trakt_unavailable" },
    {
      error: new TraktNetworkError("GET", "/x", new Error("reset")),
      retried: true,
      state: "failed",
      code: "trakt_unreachable",
    },
    {
      error: new TraktIncompleteReadError("GET", "/x", 3, 2),
      retried: true,
      state: "failed",
      code: "trakt_incomplete_read",
    },
    { error: new Error("boom"), retried: true, state: "failed", code: "internal_error" },
  ];

  for (const { error, retried, state, code } of cases) {
    it(`${code}: ${retried ? "fails the record (SQS retries)" : "done: the user must act"}, shown as ${state}`, async () => {
      // Prepare
      const { world, deliver } = syncFunction();
      world.session.failNext("getAllListItems", error);

      // Act
      const delivery = deliver();

      // Assess
      if (retried) await expect(delivery).rejects.toBe(error);
      else await expect(delivery).resolves.toBeUndefined();
      expect(await world.stored()).toMatchObject({ syncState: state, lastError: { code } });
    });
  }

  it("contention (another worker creates the Trakt list): retried, not shown on the list", async () => {
    // Prepare
    const { world, deliver } = syncFunction();
    delete world.lists.stored.get("user-1/list-1")!.record.traktListId;
    await world.lists.claimTraktListCreation("user-1", "list-1", 60_000);

    // Act & Assess
    await expect(deliver()).rejects.toThrow(/Another worker/);
    expect((await world.stored()).lastError).toBeUndefined();
  });

  it("a rename that lands while the sync marks itself started reaches Trakt (its request counts as covered)", async () => {
    // Prepare: the user renames the list right after the sync read it, before its start was recorded
    const { world, deliver } = syncFunction();
    const markSyncStarted = world.lists.markSyncStarted.bind(world.lists);
    world.lists.markSyncStarted = async (userId, listId, at) => {
      world.lists.stored.get("user-1/list-1")!.record.title = "Renamed meanwhile";
      await markSyncStarted(userId, listId, at);
    };

    // Act
    await deliver();

    // Assess
    const [twin] = [...world.session.lists.values()];
    expect(twin?.list.name).toBe("Renamed meanwhile");
  });

  it("Trakt's list limit: done, shown as limited", async () => {
    // Prepare
    const { world, deliver } = syncFunction();
    delete world.lists.stored.get("user-1/list-1")!.record.traktListId;
    world.session.listLimit = 1;

    // Act & Assess
    await expect(deliver()).resolves.toBeUndefined();
    expect(await world.stored()).toMatchObject({
      syncState: "limited",
      lastError: { code: "trakt_list_count_limit" },
    });
  });

  it("a far write slot: the message comes back then, without a failure on the list", async () => {
    // Prepare
    const { world, deliver, returned } = syncFunction();
    world.session.failNext("addItems", new WriteDeferredError(7_000));

    // Act & Assess
    await expect(deliver()).rejects.toThrow(/deferred/);
    expect(returned).toEqual([7]);
    expect(await world.stored()).toMatchObject({ syncState: "syncing" });
  });

  it("a malformed message fails (to the DLQ after its retries); a gone list or a sync is done", async () => {
    // Prepare
    const { world, deliver } = syncFunction();

    // Act & Assess
    await expect(deliver('{"userId":"user-1"}')).rejects.toThrow();
    await expect(deliver()).resolves.toBeUndefined();
    expect((await world.stored()).syncState).toBe("synced");
    world.lists.remove("user-1", "list-1");
    await expect(deliver()).resolves.toBeUndefined();
  });

  it("waits for a far slot on the last delivery before the dead-letter queue instead of deferring", async () => {
    // Prepare
    const first = syncFunction(1);
    const last = syncFunction(4);

    // Act
    await first.deliver();
    await last.deliver();

    // Assess
    expect(first.slotWaits).toEqual([5_000]);
    expect(last.slotWaits).toEqual([Number.POSITIVE_INFINITY]);
  });
});
