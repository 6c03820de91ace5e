import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { listInState, startTestStack } from "#test/support/localStackTest.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack("e2e-deferral", {
    syncConcurrency: 8,
    sandbox: { writeIntervalMs: 1_000 },
    env: {
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
      await listInState(api, list.body.id, "synced", {
        timeoutMs: 90_000,
        what: `list ${list.body.id} synced`,
      });
    }
    expect(stack.sandbox!.listsOf("flooder")).toHaveLength(8);
    // Sleeping in the pacer, the last of 8 syncs would wait ~16 s (2 writes each, 1.1 s apart).
    expect(stack.invocations.longestMs.get("sync")).toBeLessThan(8_000);
  }, 120_000);
});
