import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { type LocalStack, startLocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { eventually } from "#test/support/eventually.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    dynamoEndpoint: inject("dynamoEndpoint"),
    tableName: `e2e-deferral-${randomUUID()}`,
    syncConcurrency: 8,
    sandbox: { writeIntervalMs: 1_000 },
    env: {
      POWERTOOLS_LOG_LEVEL: "ERROR",
      API_RATE_LIMIT_PER_MINUTE: "100000",
      TRAKT_MAX_SLOT_WAIT_MS: "1500",
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("no Lambda time spent sleeping", () => {
  it("one user creating many lists at once: every list converges and no sync invocation waits long for a slot", async () => {
    // Prepare
    const users = new UserRepository(createDocumentClient(stack.dynamoEndpoint), stack.tableName);
    await linkSandboxUser(stack.sandbox!, users, "flooder");
    const api = new ApiClient(stack.apiUrl, await stack.token("flooder"));
    stack.invocations.longestMs.clear();

    // Act: 8 lists at once share one write per second
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.post("/lists", {
          title: `Flood ${i}`,
          listType: "manual",
          items: [{ mediaType: "movie", tmdbId: 550 + i }],
        }),
      ),
    );

    // Assess
    for (const list of created) {
      await eventually(
        async () =>
          (await api.get(`/lists/${list.body.id}`)).body.sync.state === "synced" ? true : undefined,
        90_000,
        `list ${list.body.id} synced`,
      );
    }
    expect(stack.sandbox!.listsOf("flooder")).toHaveLength(8);
    // Sleeping in the pacer, the last of 8 syncs would wait ~16 s (2 writes each, 1.1 s apart).
    expect(stack.invocations.longestMs.get("sync")).toBeLessThan(8_000);
  }, 120_000);
});
