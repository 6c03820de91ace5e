import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCatalogFeed } from "#catalog/catalogFeed.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { eventually } from "#test/support/eventually.ts";
import { linkTrakt, listInState, startTestStack } from "#test/support/localStackTest.ts";
import { TraktClient } from "#trakt/TraktClient.ts";

/**
 * The incident behind the product: a list with 200 items locally and no Trakt list, because Trakt
 * refused to create it when the list was made. Nobody calls sync; the scheduled backfill repairs it.
 */
let stack: LocalStack;
let user: ApiClient;

beforeAll(async () => {
  stack = await startTestStack("incident", {
    backfillIntervalSeconds: 2,
    // A failed sync message holds its list's FIFO group until it is visible again.
    visibilityTimeoutSeconds: 5,
    // Repair delays of minutes become fractions of a second; the daily drift check, 43 s.
    env: { REPAIR_DELAY_SCALE: "0.0005", API_RATE_LIMIT_PER_MINUTE: "100000" },
  });
  user = new ApiClient(stack.apiUrl, await stack.token("dana"));
  await linkTrakt(user, stack.sandbox!, "dana");
});

afterAll(async () => {
  await stack?.stop();
});

describe("the incident, replayed", () => {
  it("repairs a 200-item list that never got its Trakt list, with nobody calling sync", {
    timeout: 180_000,
  }, async () => {
    // Prepare: Trakt refuses every list creation while the list is made
    stack.sandbox!.setFaults({
      rules: [
        { kind: "error_before_apply", status: 503, match: { method: "POST", pathPattern: "/users/*/lists" } },
      ],
    });
    const titles = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8"))
      .filter((t) => t.tmdbId < 90_000_000)
      .slice(500, 700);
    const items = titles.map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
    const created = await user.post("/lists", { title: "The incident", listType: "manual", items });
    expect(created.status).toBe(201);
    const broken = await listInState(user, created.body.id, "failed", {
      what: "the list to show the failed creation",
    });
    expect(broken.trakt.listId).toBeNull();
    expect(broken.sync.lastError.message).toMatch(/Trakt is unavailable/);
    expect(stack.sandbox!.listsOf("dana")).toHaveLength(0);

    // Act: Trakt recovers; only the schedule runs
    stack.sandbox!.clearFaults();

    // Assess
    const repaired = await listInState(user, created.body.id, "synced", {
      timeoutMs: 90_000,
      what: "the backfill to repair the list",
    });
    expect(repaired.sync.traktItemCount).toBe(200);
    const onTrakt = stack.sandbox!.listsOf("dana");
    expect(onTrakt).toHaveLength(1);
    expect(onTrakt[0]!.items.map((i) => `${i.type}:${(i.movie ?? i.show)!.ids.tmdb}`)).toEqual(
      items.map((i) => `${i.mediaType}:${i.tmdbId}`),
    );
    const verification = (await user.get("/lists/verification")).body;
    expect(verification.lists).toEqual([
      expect.objectContaining({
        id: created.body.id,
        traktItemCount: 200,
        expectedTraktItemCount: 200,
        drifted: false,
      }),
    ]);
    expect(verification.orphans).toEqual([]);
    expect(stack.invocations.counts.get("backfill")).toBeGreaterThan(0);
  });

  it("finds a list that drifted on Trakt and repairs it at its periodic check", {
    timeout: 180_000,
  }, async () => {
    // Prepare: a synced list loses items on Trakt behind our back
    const created = await user.post("/lists", {
      title: "Drifts",
      listType: "manual",
      items: [11, 12, 13].map((tmdbId) => ({ mediaType: "movie", tmdbId })),
    });
    const synced = await listInState(user, created.body.id, "synced", { timeoutMs: 30_000 });
    const grant = stack.sandbox!.createUser("dana");
    const trakt = new TraktClient({
      apiUrl: stack.traktApiUrl,
      authUrl: stack.traktApiUrl,
      clientId: stack.sandbox!.clientId,
      clientSecret: stack.sandbox!.clientSecret,
    });
    // Someone edits the list on trakt.tv (retrying like any client when Trakt says 429).
    await eventually(
      () =>
        trakt
          .removeItems(grant.access_token, synced.trakt.listId, { movies: [{ ids: { tmdb: 12 } }] })
          .then((result) => (result.deleted.movies === 1 ? true : undefined)),
      20_000,
      "the edit on Trakt",
    );

    // Act: verification reports it; the periodic check (due after a day, scaled here) repairs it
    const report = (await user.get("/lists/verification")).body;

    // Assess
    expect(report.lists.find((l: { id: string }) => l.id === created.body.id)).toMatchObject({
      drifted: true,
      traktItemCount: 2,
    });
    await eventually(
      async () => {
        const items = stack.sandbox!.listsOf("dana").find((l) => l.ids.trakt === synced.trakt.listId)?.items;
        return items?.length === 3 ? items : undefined;
      },
      90_000,
      "the backfill to repair the drift",
    );
  });
});
