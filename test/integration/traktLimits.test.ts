import { afterEach, describe, expect, it } from "vitest";
import { DynamoWritePacer, type PacerTuning } from "#adapters/dynamo/DynamoWritePacer.ts";
import { traktWritePacing } from "#config/resources.ts";
import { type ListRecord, markerIn } from "#domain/list.ts";
import { traktListIdOf } from "#sync/ensureTraktList.ts";
import { ListCountLimitError } from "#sync/failures.ts";
import { addBody } from "#sync/traktBodies.ts";
import { manualList, movieItems } from "#test/support/builders.ts";
import { useSandboxAndTable } from "#test/support/sandboxAndTable.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { pacerLearning, RoundTrips, requestKind } from "#trakt/RoundTrips.ts";
import { TraktClient } from "#trakt/TraktClient.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

let userCounter = 0;
const fastRetry = { baseDelayMs: 20, maxDelayMs: 200 };

const real = useSandboxAndTable();

afterEach(() => {
  real.sandbox.clearFaults();
  real.sandbox.configure({ writeIntervalMs: 1_000, verbose420: false, latency: 0 });
});

/** A session wired like production: the client's round trips teach the pacer its margin. */
function sessionFor(userId: string, paths: string[] = []) {
  const roundTrips = new RoundTrips();
  const client = new TraktClient({
    ...real.client.config,
    onRequest: ({ method, path, status, ms }) => {
      paths.push(`${method} ${path}`);
      if (typeof status === "number") roundTrips.record(ms, requestKind(method, path));
    },
  });
  const { minIntervalMs, ...tuning } = traktWritePacing;
  const pacer = new DynamoWritePacer(real.table.doc, real.table.tableName, minIntervalMs, {
    tuning: { ...tuning, ...pacerLearning(roundTrips) },
  });
  return new TraktUserSession({ client, auth: real.users, pacer, userId, retry: fastRetry });
}

async function newUser(options: { vip?: boolean; listCount?: number } = {}) {
  const userId = `limits-user-${++userCounter}`;
  await linkSandboxUser(real.sandbox, real.users, userId);
  real.sandbox.createUser(userId, {
    ...(options.vip !== undefined ? { vip: options.vip } : {}),
    ...(options.listCount !== undefined ? { limits: { listCount: options.listCount } } : {}),
  });
  return userId;
}

describe("writes over a network with latency", () => {
  it("arrive at Trakt at least its period apart: no burst of 429s from concurrent workers of one user at 400±300 ms", {
    timeout: 120_000,
  }, async () => {
    // Prepare: Trakt's real limit, a slow and jittery network; three workers (three Lambdas) of one user,
    // each with its own client and pacer instance sharing the DynamoDB slot record.
    real.sandbox.configure({ writeIntervalMs: 1_000, latency: "400±300" });
    const userId = await newUser();
    const workers = [0, 1, 2].map(() => sessionFor(userId));
    const list = await workers[0]!.createList({ name: "Paced", description: "x", privacy: "private" });

    // Act: each worker reads (as a sync reads the list first; the round trips teach its pacer), then writes six times
    await Promise.all(
      workers.map(async (session, w) => {
        for (let i = 0; i < 8; i++) await session.getLists();
        for (let i = 0; i < 6; i++) {
          await session.addItems(list.ids.trakt, addBody(movieItems(1, 1_000 + w * 10 + i)));
        }
      }),
    );

    // Assess: the writes went through at the first try (one 429 is tolerated: the sandbox runs in this process, so
    // a busy CPU delays when it sees a request; the pacer of send-time spacing drew about one in five), and every
    // accepted write arrived ≥ 1 s after the one before
    const stats = real.sandbox.stats()[userId];
    expect(stats?.rateLimited).toBeLessThanOrEqual(1);
    const arrivals = real.sandbox
      .writeLog(userId)
      .map((w) => w.at)
      .sort((a, b) => a - b);
    expect(arrivals).toHaveLength(19);
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
  });

  it("adds the latency to every answer, judged on arrival by the rate limiter", async () => {
    // Prepare
    real.sandbox.configure({ latency: "200" });
    const userId = await newUser();
    const session = sessionFor(userId);

    // Act
    const started = Date.now();
    await session.getLists();

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

/**
 * A pacer of the test table on a stepped clock: its sleep moves the clock on by what it was asked, then runs
 * `afterFirstSleep` once and `afterSleep` every time (a late wake-up, another worker acting meanwhile). `doc`
 * stands in for the table's client.
 */
function steppedPacer(
  clock: { now: number },
  tuning: Partial<PacerTuning>,
  options: { afterSleep?: () => unknown; afterFirstSleep?: () => unknown; doc?: typeof real.table.doc } = {},
) {
  let slept = false;
  return new DynamoWritePacer(options.doc ?? real.table.doc, real.table.tableName, 0, {
    tuning,
    clock: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
      if (!slept) await options.afterFirstSleep?.();
      slept = true;
      await options.afterSleep?.();
    },
  });
}

describe("the shared margin", () => {
  it("widens for every worker of the user on a 429 from Trakt's limiter, and shrinks while writes go through", async () => {
    // Prepare: a worker saw two 429s; another worker, with nothing learned yet, then books writes
    const key = `trakt:margin-${++userCounter}`;
    const tuning = {
      periodMs: 1_000,
      initialMarginMs: 0,
      arrivalJitterMs: () => 20,
      widenMs: 100,
      shrinkMs: 10,
      lateToleranceMs: 50,
    };
    const clock = { now: 1_000_000 };
    const sawThe429s = steppedPacer(clock, tuning);
    await sawThe429s.holdOff(key, 0, { widen: true });
    await sawThe429s.holdOff(key, 0, { widen: true });
    const other = steppedPacer(clock, tuning);

    // Act: three writes, each acquiring the next slot
    const slots: number[] = [];
    for (let i = 0; i < 3; i++) {
      await other.acquire(key);
      slots.push(clock.now);
    }

    // Assess: period + the widened margin (200, then half-way down to the 20 learned: 110) + the lateness allowance
    expect(slots[1]! - slots[0]!).toBe(1_000 + 200 + 50);
    expect(slots[2]! - slots[1]!).toBe(1_000 + 110 + 50);
  });
});

describe("a worker woken late", () => {
  const tuning = {
    periodMs: 1_000,
    initialMarginMs: 0,
    arrivalJitterMs: () => 0,
    lateToleranceMs: 50,
  };

  it("still sends, and the next write is held back until a full gap after that send", async () => {
    // Prepare: after an earlier write, the next wake-up comes 300 ms late (a busy CPU), the later ones on time
    const key = `trakt:late-${++userCounter}`;
    const clock = { now: 1_000_000 };
    let lateBy = 0;
    const pacer = steppedPacer(clock, tuning, {
      afterSleep: () => {
        clock.now += lateBy;
        lateBy = 0;
      },
    });

    // Act
    await pacer.acquire(key);
    lateBy = 300;
    await pacer.acquire(key);
    const late = clock.now;
    await pacer.acquire(key);

    // Assess: the late write kept its turn; the next one woke at its slot, 300 ms too soon after that send, and
    // waited for the rest of the gap
    expect(pacer.counts).toEqual({ booked: 3, heldBack: 1, deferred: 0 });
    expect(clock.now - late).toBe(1_000 + 50);
  });

  it("keeps its write when another worker sent meanwhile, a full gap after that send", async () => {
    // Prepare: while worker A sleeps towards its slot, worker B books the next one and sends; A wakes only after it
    const key = `trakt:late-taken-${++userCounter}`;
    const clock = { now: 2_000_000 };
    const b = steppedPacer(clock, tuning);
    let bSentAt = 0;
    const a = steppedPacer(clock, tuning, {
      afterFirstSleep: async () => {
        await b.acquire(key);
        bSentAt = clock.now;
      },
    });

    // Act: after an earlier write, A books the next slot
    await b.acquire(key);
    await a.acquire(key);

    // Assess: A booked once, and went a full gap after B's write instead of crowding it or giving up its turn
    expect(a.counts).toEqual({ booked: 1, heldBack: 1, deferred: 0 });
    expect(clock.now - bSentAt).toBe(1_000 + 50);
  });

  it("sends after a few refusals when newer sends keep coming first (at worst one 429, waited out)", async () => {
    // Prepare: every time A, held back, claims the moment the previous send allows, another worker claims it first
    const key = `trakt:late-starved-${++userCounter}`;
    const clock = { now: 3_000_000 };
    const other = steppedPacer(clock, tuning);
    const overtaken = {
      send: async (command: { input: { ConditionExpression?: string } }) => {
        if (command.input.ConditionExpression === "nextSendAt = :seen") await other.acquire(key);
        return real.table.doc.send(command as Parameters<typeof real.table.doc.send>[0]);
      },
    } as unknown as typeof real.table.doc;
    const a = steppedPacer(clock, tuning, { doc: overtaken, afterSleep: () => other.acquire(key) });

    // Act: after an earlier write, A books the next slot
    await other.acquire(key);
    await a.acquire(key);

    // Assess: refused three times, overtaken each time it claimed ahead, then it went anyway
    expect(a.counts).toEqual({ booked: 1, heldBack: 3, deferred: 0 });
    expect(other.counts.booked).toBe(5);
  });
});

describe("an answered write", () => {
  const tuning = {
    periodMs: 1_000,
    initialMarginMs: 0,
    arrivalJitterMs: () => 200,
    // As learned from round trips: a write cannot be answered in less than 40 ms
    arrivalLatenessMs: (roundTripMs: number) => Math.max(0, roundTripMs - 40),
    typicalLatenessMs: () => 60,
    lateToleranceMs: 10,
  };

  it("lets the next write leave the period plus how late its round trip says it can have arrived", async () => {
    // Prepare
    const clock = { now: 4_000_000 };
    const pacer = steppedPacer(clock, tuning);
    const gapAfter = async (roundTripMs?: number) => {
      const key = `trakt:answered-${++userCounter}`;
      const first = await pacer.acquire(key);
      const firstAt = clock.now;
      if (first.deferMs !== undefined) throw new Error("deferred");
      if (roundTripMs !== undefined) await first.sent({ leftAt: firstAt, roundTripMs });
      await pacer.acquire(key);
      return clock.now - firstAt;
    };

    // Act: a write answered in 100 ms, one answered in 400 ms (a stall on the way there, or back), one not answered yet
    const quick = await gapAfter(100);
    const slow = await gapAfter(400);
    const unanswered = await gapAfter();

    // Assess: its way there took at most 100 - 40 ms more than the fastest; at most 400 - 40 ms, more than the learned
    // margin (200 ms) allows for; unanswered, the learned margin
    expect(quick).toBe(1_000 + 60 + 10);
    expect(slow).toBe(1_000 + 360 + 10);
    expect(unanswered).toBe(1_000 + 200 + 10);
  });

  it("cannot bring the next write closer than a 429's hold-off, even for a worker already asleep on its slot", async () => {
    // Prepare: A is asleep towards its slot when another worker's write is answered 429
    const key = `trakt:held-off-${++userCounter}`;
    const clock = { now: 5_000_000 };
    const other = steppedPacer(clock, tuning);
    await other.acquire(key);
    let holdOffUntil = 0;
    const a = steppedPacer(clock, tuning, {
      afterFirstSleep: async () => {
        await other.holdOff(key, 3_000);
        holdOffUntil = clock.now + 3_000;
      },
    });

    // Act
    await a.acquire(key);

    // Assess: A woke, was refused, and went when the hold-off ended
    expect(clock.now).toBe(holdOffUntil);
    expect(a.counts.heldBack).toBe(1);
  });
});

describe("account limits (420)", () => {
  async function listOverTheLimit(userId: string) {
    await sessionFor(userId).createList({ name: "Existing", description: "x", privacy: "private" });
    const list = manualList(userId, { localItemCount: 3 });
    await real.lists.create(list);
    return list;
  }

  /** What creating the list's Trakt list throws; the paths it requested go to `paths`. */
  function creationError(list: ListRecord, paths: string[] = []) {
    return traktListIdOf({ lists: real.lists, session: sessionFor(list.userId, paths) }, list).catch(
      (e) => e,
    );
  }

  it("reads a 420's headers for a free user: the limit and the upgrade URL, without GET /users/settings", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0, verbose420: true });
    const userId = await newUser({ vip: false, listCount: 1 });
    const list = await listOverTheLimit(userId);
    const paths: string[] = [];

    // Act
    const error = await creationError(list, paths);

    // Assess
    expect(error).toBeInstanceOf(ListCountLimitError);
    expect(error.limit).toMatchObject({ listCount: 1, vip: false, upgradeUrl: "https://trakt.tv/vip" });
    expect(error.message).toContain("upgrade to VIP at https://trakt.tv/vip");
    expect(paths).not.toContain("GET /users/settings");
  });

  it("tells a VIP at the limit to make room, not to upgrade", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0, verbose420: true });
    const userId = await newUser({ vip: true, listCount: 1 });
    const list = await listOverTheLimit(userId);

    // Act
    const error = await creationError(list);

    // Assess
    expect(error).toBeInstanceOf(ListCountLimitError);
    expect(error.limit).toMatchObject({ listCount: 1, vip: true });
    expect(error.message).toContain("even on your VIP account");
    expect(error.message).not.toMatch(/upgrade/i);
  });

  it("falls back to GET /users/settings when the 420 has no headers", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0, verbose420: false });
    const userId = await newUser({ listCount: 1 });
    const list = await listOverTheLimit(userId);
    const paths: string[] = [];

    // Act
    const error = await creationError(list, paths);

    // Assess
    expect(error).toBeInstanceOf(ListCountLimitError);
    expect(error.listCount).toBe(1);
    expect(paths).toContain("GET /users/settings");
  });
});

describe("409 on list creation", () => {
  it("adopts the list Trakt says exists (ours, by its marker) instead of creating another", async () => {
    // Prepare: Trakt creates the list but answers 409, as a retried create would get
    real.sandbox.configure({ writeIntervalMs: 0 });
    const userId = await newUser();
    const list = manualList(userId, { localItemCount: 0 });
    await real.lists.create(list);
    real.sandbox.setFaults({
      rules: [
        {
          kind: "error_after_apply",
          status: 409,
          times: 1,
          match: { method: "POST", pathPattern: "/users/*/lists" },
        },
      ],
    });

    // Act
    const traktListId = await traktListIdOf({ lists: real.lists, session: sessionFor(userId) }, list);

    // Assess: exactly one Trakt list, ours, stored; one create only
    const onTrakt = real.sandbox.listsOf(userId);
    expect(onTrakt).toHaveLength(1);
    expect(onTrakt[0]!.ids.trakt).toBe(traktListId);
    expect(markerIn(onTrakt[0]!.description)).toMatchObject({ listId: list.listId, userId });
    expect((await real.lists.get(userId, list.listId))?.traktListId).toBe(traktListId);
    expect(real.sandbox.writeLog(userId).filter((w) => w.method === "POST")).toHaveLength(1);
  });
});

describe("truncated reads", () => {
  it("retries a read whose pages do not add up to X-Pagination-Item-Count, and returns every item", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0 });
    const userId = await newUser();
    const session = sessionFor(userId);
    const list = await session.createList({ name: "Long", description: "x", privacy: "private" });
    await session.addItems(list.ids.trakt, addBody(movieItems(100, 5_000)));
    await session.addItems(list.ids.trakt, addBody(movieItems(100, 5_100)));
    await session.addItems(list.ids.trakt, addBody(movieItems(100, 5_200)));
    real.sandbox.setFaults({
      rules: [{ kind: "truncated_read", times: 1, match: { method: "GET", pathPattern: "/items" } }],
    });

    // Act
    const entries = await session.getAllListItems(list.ids.trakt);

    // Assess
    expect(real.sandbox.stats()[userId]?.faults.truncated_read).toBe(1);
    expect(entries.map((e) => e.ids.tmdb)).toEqual(movieItems(300, 5_000).map((i) => i.tmdbId));
  });
});
