import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCatalogFeed } from "#catalog/catalogFeed.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { linkTrakt, listInState, startTestStack } from "#test/support/localStackTest.ts";

let stack: LocalStack;
let carol: ApiClient;
const titles = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8")).filter((t) => t.tmdbId < 90_000_000);

beforeAll(async () => {
  stack = await startTestStack("api-workers", {
    apiWorkers: 2,
    env: { API_RATE_LIMIT_PER_MINUTE: "100000" },
  });
  carol = new ApiClient(stack.apiUrl, await stack.token("carol"));
  await linkTrakt(carol, stack.sandbox!, "carol-on-trakt");
});

afterAll(async () => {
  await stack?.stop();
});

describe("the local stack with the API in worker threads (apiWorkers)", () => {
  it("answers more concurrent requests than it has workers, each invocation counted once, and syncs the lists", async () => {
    // Prepare
    stack.invocations.clear();
    const lists = Array.from({ length: 5 }, (_, n) => ({
      title: `Worker list ${n + 1}`,
      listType: "manual",
      items: titles.slice(n * 10, n * 10 + 10).map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId })),
    }));

    // Act
    const created = await Promise.all(lists.map((list) => carol.post("/lists", list)));

    // Assess
    expect(created.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(stack.invocations.counts.get("api")).toBe(5);
    for (const response of created) {
      const synced = await listInState(carol, response.body.id, "synced");
      expect(synced.sync).toMatchObject({ localItemCount: 10, traktItemCount: 10 });
    }
    expect(
      stack
        .sandbox!.listsOf("carol-on-trakt")
        .map((l) => l.name)
        .sort(),
    ).toEqual(lists.map((l) => l.title).sort());
  });

  it("answers bad input from a worker with the same 400 naming the field", async () => {
    // Act
    const response = await carol.post("/lists", { title: "", listType: "manual", items: [] });

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain("title");
  });
});
