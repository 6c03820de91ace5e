import { afterEach, describe, expect, it } from "vitest";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import { addBody, itemsNotFound } from "#sync/traktBodies.ts";
import { TraktAuthRequiredError, TraktHttpError } from "#sync/traktErrors.ts";
import { movieItems } from "#test/support/builders.ts";
import { useSandboxAndTable } from "#test/support/sandboxAndTable.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import type { WritePacer } from "#trakt/ports.ts";
import { TraktClient } from "#trakt/TraktClient.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

let userCounter = 0;

const fastRetry = { baseDelayMs: 20, maxDelayMs: 200 };

const real = useSandboxAndTable();

afterEach(() => {
  real.sandbox.clearFaults();
  real.sandbox.configure({ writeIntervalMs: 1_000 });
});

/** A linked user and a session whose writes go through `pacerOf` the user's pacer (the pacer itself by default). */
async function newUser(pacerIntervalMs = 0, pacerOf: (pacer: DynamoWritePacer) => WritePacer = (p) => p) {
  const userId = `user-${++userCounter}`;
  await linkSandboxUser(real.sandbox, real.users, userId);
  const pacer = new DynamoWritePacer(real.table.doc, real.table.tableName, pacerIntervalMs);
  const session = new TraktUserSession({
    client: real.client,
    auth: real.users,
    pacer: pacerOf(pacer),
    userId,
    retry: fastRetry,
  });
  return { userId, pacer, session };
}

describe("TraktUserSession against the sandbox", () => {
  it("reads every page of a list longer than one page, in rank order", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0 });
    const { userId, session } = await newUser();
    const list = await session.createList({ name: "Long", description: "x", privacy: "private" });
    for (let start = 0; start < 600; start += 100) {
      await session.addItems(list.ids.trakt, addBody(movieItems(100, 5_000 + start)));
    }

    // Act
    const entries = await session.getAllListItems(list.ids.trakt);

    // Assess
    expect(entries).toHaveLength(600);
    expect(entries.map((e) => e.ids.tmdb)).toEqual(movieItems(600, 5_000).map((i) => i.tmdbId));
    expect(entries.map((e) => e.rank)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    const itemGets = Object.entries(real.sandbox.stats()[userId]?.requests ?? {}).length;
    expect(itemGets).toBeGreaterThan(0);
  });

  it("treats 201 as success and reports items Trakt cannot match", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0 });
    const { session } = await newUser();
    const list = await session.createList({ name: "Mixed", description: "x", privacy: "private" });
    const items = [...movieItems(2, 700), ...movieItems(1, 90_000_001)];

    // Act
    const result = await session.addItems(list.ids.trakt, addBody(items));

    // Assess
    expect(result.added.movies).toBe(2);
    expect(itemsNotFound(items, result.not_found).map((i) => i.tmdbId)).toEqual([90_000_001]);
  });

  it("waits out a 429 as Retry-After says and then succeeds", async () => {
    // Prepare: our pacer is off, so the second write hits Trakt's one-per-second limit
    const { userId, session } = await newUser(0);
    const list = await session.createList({ name: "Paced", description: "x", privacy: "private" });

    // Act
    await session.addItems(list.ids.trakt, addBody(movieItems(1, 10)));

    // Assess
    const stats = real.sandbox.stats()[userId];
    expect(stats?.rateLimited).toBeGreaterThanOrEqual(1);
    expect(stats?.acceptedWrites).toBe(2);
    const writes = real.sandbox.writeLog(userId).filter((w) => w.status < 300);
    expect(writes[1]!.at - writes[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it("reports each write's round trip to the pacer before a 429's hold-off, so the hold-off stands", async () => {
    // Prepare: a pacer that is off (the second write meets Trakt's limit), recording what the session tells it
    const told: string[] = [];
    const reports: { leftAt: number; roundTripMs: number }[] = [];
    const recording = (inner: DynamoWritePacer): WritePacer => ({
      acquire: async (key, options) => {
        told.push("acquire");
        const turn = await inner.acquire(key, options);
        if (turn.deferMs !== undefined) return turn;
        return {
          sent: async (report) => {
            told.push("sent");
            reports.push(report);
            await turn.sent(report);
          },
        };
      },
      holdOff: async (key, ms, options) => {
        told.push("holdOff");
        await inner.holdOff(key, ms, options);
      },
    });
    const { userId, session } = await newUser(0, recording);
    const before = Date.now();
    const list = await session.createList({ name: "Reported", description: "x", privacy: "private" });

    // Act
    await session.addItems(list.ids.trakt, addBody(movieItems(1, 10)));

    // Assess: the 429'd attempt was reported, then held off, then tried again
    expect(told).toEqual(["acquire", "sent", "acquire", "sent", "holdOff", "acquire", "sent"]);
    expect(real.sandbox.stats()[userId]?.rateLimited).toBe(1);
    for (const { leftAt, roundTripMs } of reports) {
      expect(leftAt).toBeGreaterThanOrEqual(before);
      expect(roundTripMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("spaces the write attempts of concurrent workers of one user by the pacer interval", async () => {
    // Prepare: three sessions (think: three Lambdas) for the same user share the DynamoDB pacer; each
    // has its own client that notes when every write attempt was sent.
    const { userId } = await newUser(1_100);
    const sentAt: number[] = [];
    const sessions = [0, 1, 2].map(
      () =>
        new TraktUserSession({
          client: new TraktClient({
            ...real.client.config,
            onRequest: ({ method, ms }) => {
              if (method !== "GET") sentAt.push(Date.now() - ms);
            },
          }),
          auth: real.users,
          pacer: new DynamoWritePacer(real.table.doc, real.table.tableName, 1_100),
          userId,
          retry: fastRetry,
        }),
    );
    const list = await sessions[0]!.createList({ name: "Shared", description: "x", privacy: "private" });

    // Act
    await Promise.all(
      sessions.map((session, i) => session.addItems(list.ids.trakt, addBody(movieItems(3, 100 + i * 10)))),
    );

    // Assess: our attempts (retries after a 429 included) leave at their slots, never closer than
    // Trakt's one second, and Trakt accepted every write
    const attempts = [...sentAt].sort((x, y) => x - y);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < attempts.length; i++)
      expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(1_000);
    const accepted = real.sandbox.writeLog(userId).filter((w) => w.status < 300);
    expect(accepted).toHaveLength(4);
    for (let i = 1; i < accepted.length; i++)
      expect(accepted[i]!.at - accepted[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
    expect((await sessions[0]!.getAllListItems(list.ids.trakt)).length).toBe(9);
  });

  it("refreshes once on 401 and stores the rotated token pair", async () => {
    // Prepare
    const { userId, session } = await newUser();
    const before = await real.users.load(userId);
    real.sandbox.expireTokens(userId);

    // Act
    const lists = await session.getLists();

    // Assess
    expect(lists).toEqual([]);
    const after = await real.users.load(userId);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
  });

  it("serializes concurrent refreshes so the single-use refresh token is used once", async () => {
    // Prepare: five workers find the token expired at the same moment
    const { userId } = await newUser();
    real.sandbox.expireTokens(userId);
    const sessions = Array.from(
      { length: 5 },
      () =>
        new TraktUserSession({
          client: real.client,
          auth: real.users,
          pacer: new DynamoWritePacer(real.table.doc, real.table.tableName, 0),
          userId,
          retry: fastRetry,
        }),
    );

    // Act
    const results = await Promise.allSettled(sessions.map((session) => session.getLists()));

    // Assess
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    // A second use of the single-use refresh token would have answered invalid_grant and unlinked the user.
    expect((await real.users.getProfile(userId))?.traktLinkState).toBe("linked");
  });

  it("marks the user for re-linking when Trakt rejects the refresh token", async () => {
    // Prepare: use the stored refresh token behind our back, so ours is spent
    const { userId, session } = await newUser();
    const stored = await real.users.load(userId);
    await real.client.refreshToken(stored!.refreshToken);
    real.sandbox.expireTokens(userId);

    // Act
    const attempt = session.getLists();

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TraktAuthRequiredError);
    expect((await real.users.getProfile(userId))?.traktLinkState).toBe("relink_required");
    // The tokens are gone: loading them says the link was revoked (a never-linked user loads undefined).
    await expect(real.users.load(userId)).rejects.toBeInstanceOf(TraktAuthRequiredError);
  });

  it("retries a 503 that Trakt answered before applying the write", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0 });
    const { session } = await newUser();
    const list = await session.createList({ name: "Flaky", description: "x", privacy: "private" });
    real.sandbox.setFaults({
      rules: [{ kind: "error_before_apply", status: 503, times: 2, match: { method: "POST" } }],
    });

    // Act
    const result = await session.addItems(list.ids.trakt, addBody(movieItems(5, 300)));

    // Assess
    expect(result.added.movies).toBe(5);
    expect((await session.getAllListItems(list.ids.trakt)).length).toBe(5);
  });

  it("does not retry creating a list on its own, because Trakt may have created it", async () => {
    // Prepare
    real.sandbox.configure({ writeIntervalMs: 0 });
    const { session } = await newUser();
    real.sandbox.setFaults({ rules: [{ kind: "error_after_apply", status: 502, times: 1 }] });

    // Act
    const attempt = session.createList({ name: "Once", description: "x", privacy: "private" });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TraktHttpError);
    expect(await session.getLists()).toHaveLength(1);
  });

  it("loads the tokens ahead once, for the first call to use", async () => {
    // Prepare: a store that counts loads
    const { userId } = await newUser();
    let loads = 0;
    const auth = Object.assign(Object.create(real.users) as typeof real.users, {
      load: (id: string) => {
        loads++;
        return real.users.load(id);
      },
    });
    const pacer = new DynamoWritePacer(real.table.doc, real.table.tableName, 0);
    const session = new TraktUserSession({ client: real.client, auth, pacer, userId, retry: fastRetry });

    // Act
    session.loadAuthAhead();
    session.loadAuthAhead();
    await session.getLists();
    await session.getLists();

    // Assess
    expect(loads).toBe(1);
  });

  it("throws a failed load ahead from the first call, and loads again on the next", async () => {
    // Prepare: the first load fails (DynamoDB unreachable for a moment)
    const { userId } = await newUser();
    let loads = 0;
    const auth = Object.assign(Object.create(real.users) as typeof real.users, {
      load: (id: string) =>
        ++loads === 1 ? Promise.reject(new Error("DynamoDB unreachable")) : real.users.load(id),
    });
    const pacer = new DynamoWritePacer(real.table.doc, real.table.tableName, 0);
    const session = new TraktUserSession({ client: real.client, auth, pacer, userId, retry: fastRetry });

    // Act
    session.loadAuthAhead();
    const first = session.getLists();

    // Assess
    await expect(first).rejects.toThrow("DynamoDB unreachable");
    await expect(session.getLists()).resolves.toEqual([]);
    expect(loads).toBe(2);
  });
});
