import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traktListDescription } from "#domain/list.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { startTraktSandbox, type TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { newListRecord } from "#lists/newList.ts";
import { getServices } from "#runtime/services.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { approveDeviceLink, linkTrakt, listInState, startTestStack } from "#test/support/localStackTest.ts";

/**
 * Data integrity across restarts, installs and users: one Trakt sandbox keeps its state outside the
 * stack while the stack (with a fresh in-memory table, as `npm start` has) stops and starts again.
 */
let sandbox: TraktSandbox;
let stack: LocalStack | undefined;
/** These tests need no catalog to speak of: a small one keeps each (re)start quick. */
const catalogPath = join(mkdtempSync(join(tmpdir(), "integrity-")), "catalog.jsonl");

beforeAll(async () => {
  writeFileSync(
    catalogPath,
    `${readFileSync(sampleCatalogPath, "utf8").split("\n").slice(0, 50).join("\n")}\n`,
  );
  sandbox = await startTraktSandbox({ port: 0, writeIntervalMs: 0 });
});

afterAll(async () => {
  await stack?.stop();
  await sandbox?.stop();
});

/** A fresh stack against the long-lived sandbox; every synced list is due for its drift check at once. */
async function startStack(): Promise<LocalStack> {
  return startTestStack("integrity", {
    catalogPath,
    trakt: {
      apiUrl: sandbox.url,
      authUrl: sandbox.url,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    },
    env: {
      REPAIR_DELAY_SCALE: "0",
      TRAKT_RETRY_BASE_MS: "10",
      TRAKT_RETRY_MAX_MS: "50",
    },
  });
}

/** The stack the restart test left running, or a new one when that test did not get so far. */
async function runningStack(): Promise<LocalStack> {
  if (!stack) {
    stack = await startStack();
    await linkTrakt(new ApiClient(stack.apiUrl, await stack.token("alice")), sandbox, "restart-alice");
  }
  return stack;
}

async function createSyncedList(client: ApiClient, title: string) {
  const created = await client.post("/lists", {
    title,
    listType: "manual",
    items: [
      { mediaType: "movie", tmdbId: 101 },
      { mediaType: "movie", tmdbId: 102 },
    ],
  });
  expect(created.status).toBe(201);
  return listInState(client, created.body.id, "synced");
}

describe("a restart of the local stack against a sandbox that keeps its state", () => {
  it("deletes no Trakt list: the old install's lists are reported as not ours", async () => {
    // Prepare: the first run makes a list and its Trakt list, then stops (its in-memory table is gone)
    stack = await startStack();
    let alice = new ApiClient(stack.apiUrl, await stack.token("alice"));
    await linkTrakt(alice, sandbox, "restart-alice");
    const before = await createSyncedList(alice, "Made before the restart");
    await stack.stop();
    stack = undefined;

    // Act: a new run links the same user again, makes a list, and runs the drift check many times
    stack = await startStack();
    alice = new ApiClient(stack.apiUrl, await stack.token("alice"));
    await linkTrakt(alice, sandbox, "restart-alice");
    await createSyncedList(alice, "Made after the restart");
    const reports = [];
    for (let run = 0; run < 3; run++) reports.push(await stack.runBackfill());

    // Assess
    const onTrakt = sandbox.listsOf("restart-alice").map((l) => l.ids.trakt);
    expect(onTrakt).toContain(before.trakt.listId);
    expect(onTrakt).toHaveLength(2);
    expect(reports.map((r) => (r as { orphansRemoved: number }).orphansRemoved)).toEqual([0, 0, 0]);
    expect((reports[0] as { verified: number; notOurs: number }).verified).toBeGreaterThan(0);
    expect((reports[0] as { notOurs: number }).notOurs).toBe(1);
    const verification = await alice.get("/lists/verification");
    expect(verification.body.orphans).toEqual([]);
    expect(verification.body.notOurs).toEqual([
      expect.objectContaining({ traktListId: before.trakt.listId, name: "Made before the restart" }),
    ]);
  }, 180_000);

  it("keeps a hand-made Trakt list with a marker-like description through many backfill runs", async () => {
    // Prepare: a person typed our marker into two of their own lists on trakt.tv
    const running = await runningStack();
    const alice = new ApiClient(running.apiUrl, await running.token("alice"));
    const session = await getServices().sessionFor("alice");
    const installId = await getServices().lists.installId();
    const handMade = [
      await session.createList({
        name: "Typed by hand",
        description: "My notes [trakt-list-sync:my-own-words]",
        privacy: "private",
      }),
      await session.createList({
        name: "Copied a marker",
        description: traktListDescription(randomUUID(), { installId, userId: "alice" }),
        privacy: "private",
      }),
    ];
    await createSyncedList(alice, "Due for its drift check");

    // Act
    for (let run = 0; run < 8; run++) await running.runBackfill();

    // Assess
    const onTrakt = sandbox.listsOf("restart-alice").map((l) => l.ids.trakt);
    for (const list of handMade) expect(onTrakt).toContain(list.ids.trakt);
  });

  it("deletes a Trakt list left behind only when this install holds the tombstone of its list", async () => {
    // Prepare: a list deleted here whose Trakt list stayed (say Trakt was unreachable at the time)
    const running = await runningStack();
    const alice = new ApiClient(running.apiUrl, await running.token("alice"));
    const { lists } = getServices();
    const gone = newListRecord("alice", { title: "Deleted here", listType: "manual" }, new Date());
    const session = await getServices().sessionFor("alice");
    const leftBehind = await session.createList({
      name: "Deleted here",
      description: traktListDescription(gone.listId, { installId: await lists.installId(), userId: "alice" }),
      privacy: "private",
    });
    await lists.recordTombstone(gone, new Date().toISOString());
    await createSyncedList(alice, "Another one due for its drift check");

    // Act
    const report = (await running.runBackfill()) as { orphansRemoved: number };

    // Assess
    expect(report.orphansRemoved).toBe(1);
    expect(sandbox.listsOf("restart-alice").map((l) => l.ids.trakt)).not.toContain(leftBehind.ids.trakt);
  });
});

describe("linking Trakt", () => {
  it("answers 409 trakt_account_in_use when a second user links the same Trakt account", async () => {
    // Prepare
    const running = await runningStack();
    const bob = new ApiClient(running.apiUrl, await running.token("bob"));
    await approveDeviceLink(bob, sandbox, "restart-alice");

    // Act
    const second = await bob.post("/trakt/device-token");

    // Assess
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      error: { code: "trakt_account_in_use", message: expect.stringContaining("another user") },
    });
    const lists = await bob.post("/lists", { title: "Bob's", listType: "manual" });
    const state = await listInState(bob, lists.body.id, "auth_required");
    expect(state.sync.lastError.code).toBe("trakt_not_linked");
  });

  it("lets another user link a Trakt account once its user unlinked it", async () => {
    // Prepare
    const running = await runningStack();
    const frank = new ApiClient(running.apiUrl, await running.token("frank"));
    const gina = new ApiClient(running.apiUrl, await running.token("gina"));
    await linkTrakt(frank, sandbox, "shared-on-trakt");
    await approveDeviceLink(gina, sandbox, "shared-on-trakt");
    expect((await gina.post("/trakt/device-token")).status).toBe(409);

    // Act
    expect((await frank.delete("/trakt/link")).status).toBe(200);
    const linked = await linkTrakt(gina, sandbox, "shared-on-trakt");

    // Assess
    expect(linked.body).toMatchObject({ linked: true, traktUsername: "shared-on-trakt" });
  });

  it("survives a failing GET /users/settings right after the token exchange; the next poll answers 200 linked", async () => {
    // Prepare
    const running = await runningStack();
    const carol = new ApiClient(running.apiUrl, await running.token("carol"));
    await approveDeviceLink(carol, sandbox, "carol-on-trakt");
    sandbox.setFaults({
      rules: [
        { kind: "error_before_apply", status: 503, match: { method: "GET", pathPattern: "/users/settings" } },
      ],
    });

    // Act
    const first = await carol.post("/trakt/device-token");
    sandbox.clearFaults();
    const second = await carol.post("/trakt/device-token");
    const third = await carol.post("/trakt/device-token");

    // Assess
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ linked: false, status: "pending" });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ linked: true, traktUsername: "carol-on-trakt" });
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ linked: true, traktUsername: "carol-on-trakt" });
  });

  it("links at the first poll when GET /users/settings fails a few times (the usual retries)", async () => {
    // Prepare
    const running = await runningStack();
    const dave = new ApiClient(running.apiUrl, await running.token("dave"));
    await approveDeviceLink(dave, sandbox, "dave-on-trakt");
    sandbox.setFaults({
      rules: [
        {
          kind: "error_before_apply",
          status: 502,
          times: 2,
          match: { method: "GET", pathPattern: "/users/settings" },
        },
      ],
    });

    // Act
    const polled = await dave.post("/trakt/device-token");

    // Assess
    sandbox.clearFaults();
    expect(polled.status).toBe(200);
    expect(polled.body).toMatchObject({ linked: true, traktUsername: "dave-on-trakt" });
  });
});

describe("states and shapes", () => {
  it("tells a user who never linked Trakt that it is not linked yet, and how to link it", async () => {
    // Prepare
    const running = await runningStack();
    const erin = new ApiClient(running.apiUrl, await running.token("erin"));

    // Act
    const created = await erin.post("/lists", { title: "Never linked", listType: "manual" });
    const list = await listInState(erin, created.body.id, "auth_required");

    // Assess
    expect(list.sync.lastError.code).toBe("trakt_not_linked");
    expect(list.sync.lastError.message).toMatch(/not linked yet/);
    expect(list.sync.lastError.message).toContain("POST /trakt/device-code");
  });

  it("answers pending to PATCH /lists/{id}, which queued a sync", async () => {
    // Prepare
    const running = await runningStack();
    const alice = new ApiClient(running.apiUrl, await running.token("alice"));
    const list = await createSyncedList(alice, "To be renamed");

    // Act
    const patched = await alice.patch(`/lists/${list.id}`, { title: "Renamed" });

    // Assess
    expect(patched.status).toBe(200);
    expect(patched.body.sync.state).toBe("pending");
    await listInState(alice, list.id, "synced");
  });

  it("refuses an unknown genre with a 400 naming filters.genres, and answers the valid ones", async () => {
    // Prepare
    const running = await runningStack();
    const alice = new ApiClient(running.apiUrl, await running.token("alice"));

    // Act
    const scifi = await alice.post("/lists", {
      title: "x",
      listType: "custom",
      filters: { genres: ["scifi"] },
    });
    const vocabulary = await alice.get("/catalog/genres");

    // Assess
    expect(scifi.status).toBe(400);
    expect(scifi.body.error).toMatchObject({ code: "invalid_request", field: "filters.genres" });
    expect(vocabulary.status).toBe(200);
    expect(vocabulary.body.genres).toContain("science-fiction");
    expect(vocabulary.body.languages).toContain("en");
  });

  it("answers 400, 401 and 404 (unknown routes too) in the same error shape", async () => {
    // Prepare
    const running = await runningStack();
    const alice = new ApiClient(running.apiUrl, await running.token("alice"));
    const anonymous = new ApiClient(running.apiUrl);

    // Act
    const answers = await Promise.all([
      alice.post("/lists", { title: "", listType: "manual" }),
      anonymous.get("/lists"),
      new ApiClient(running.apiUrl, "not.a.jwt").get("/lists"),
      alice.get(`/lists/${randomUUID()}`),
      alice.get("/no/such/route"),
      anonymous.get("/no/such/route"),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 401, 401, 404, 404, 404]);
    for (const answer of answers) {
      expect(answer.body).toEqual({
        error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
      });
      expect(Object.keys(answer.body.error).sort()).toEqual(
        answer.status === 400 ? ["code", "field", "message"] : ["code", "message"],
      );
    }
  });
});
