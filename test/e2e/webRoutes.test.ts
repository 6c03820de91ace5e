import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import { type LocalStack, startLocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { eventually } from "#test/support/eventually.ts";
import { linkTrakt, listInState, startTestStack } from "#test/support/localStackTest.ts";

const picks = readFileSync(sampleCatalogPath, "utf8")
  .trim()
  .split("\n")
  .slice(0, 5)
  .map((line) => JSON.parse(line) as { mediaType: string; tmdbId: number })
  .map(({ mediaType, tmdbId }) => ({ mediaType, tmdbId }));

const link = (stack: LocalStack, client: ApiClient, slug: string) => linkTrakt(client, stack.sandbox!, slug);
const synced = (client: ApiClient, id: string) => listInState(client, id, "synced", { what: "synced" });

describe("routes the web page uses", () => {
  let stack: LocalStack;
  let alice: ApiClient;
  beforeAll(async () => {
    stack = await startTestStack("web-routes");
    alice = new ApiClient(stack.apiUrl, await stack.token("alice"));
    await link(stack, alice, "alice-t");
  });
  afterAll(async () => stack?.stop());

  it("GET /lists/{id}/changes reads Trakt, reports the difference and writes nothing", async () => {
    const created = await alice.post("/lists", { title: "Dry run", listType: "manual", items: picks });
    const list = await synced(alice, created.body.id);
    const none = await alice.get(`/lists/${list.id}/changes`);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ toAdd: [], toRemove: [], reorder: false, traktItemCount: 5 });

    // Trakt loses the first item (as if removed on trakt.tv): the dry run shows it, and changes nothing.
    const twin = stack.sandbox!.listsOf("alice-t").find((l) => l.ids.trakt === list.trakt.listId)!;
    const sandboxUrl = stack.traktApiUrl;
    const grant = stack.sandbox!.createUser("alice-t");
    const first = twin.items[0]!;
    // Trakt allows one write per second per user: wait out a 429 left by our own sync's last write.
    const remove = () =>
      fetch(`${sandboxUrl}/users/me/lists/${twin.ids.trakt}/items/remove`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "trakt-api-version": "2",
          "trakt-api-key": stack.sandbox!.clientId,
          authorization: `Bearer ${grant.access_token}`,
        },
        body: JSON.stringify({
          [`${first.type}s`]: [{ ids: { tmdb: (first.movie ?? first.show)!.ids.tmdb } }],
        }),
      });
    let removed = await remove();
    for (let i = 0; removed.status === 429 && i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      removed = await remove();
    }
    expect(removed.status).toBe(200);
    const writesBefore = stack.sandbox!.writeLog("alice-t").length;
    const before = (await alice.get(`/lists/${list.id}`)).body;
    const changes = await alice.get(`/lists/${list.id}/changes`);
    expect(changes.body.toAdd).toHaveLength(1);
    expect(changes.body.toAdd[0]).toMatchObject({ rank: 1, tmdbId: picks[0]!.tmdbId });
    expect(changes.body).toMatchObject({ toRemove: [], reorder: true, traktItemCount: 4 });
    expect(stack.sandbox!.writeLog("alice-t").length).toBe(writesBefore);
    expect((await alice.get(`/lists/${list.id}`)).body).toEqual(before);
    expect(
      (await new ApiClient(stack.apiUrl, await stack.token("bob")).get(`/lists/${list.id}/changes`)).status,
    ).toBe(404);
  });

  it("DELETE /trakt/link revokes at Trakt, forgets the tokens and leaves the lists auth_required", async () => {
    const created = await alice.post("/lists", { title: "Before unlink", listType: "manual", items: picks });
    await synced(alice, created.body.id);
    const answer = await alice.delete("/trakt/link");
    expect(answer.status).toBe(200);
    expect((await alice.get("/trakt/link")).body).toMatchObject({ linked: false, state: "unlinked" });
    const lists = (await alice.get("/lists")).body.lists as {
      sync: { state: string; lastError: { code: string } };
    }[];
    expect(
      lists.every((l) => l.sync.state === "auth_required" && l.sync.lastError.code === "trakt_unlinked"),
    ).toBe(true);
    expect(stack.sandbox!.stats()["alice-t"]).toBeDefined();
    // Linking again brings the lists back to synced by themselves.
    await link(stack, alice, "alice-t");
    await synced(alice, created.body.id);
  });
});

describe("npm start keeps its data", () => {
  it("lists, the Trakt link and the sandbox's lists survive a stop and start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "local-data-"));
    const catalogPath = join(dataDir, "..", `catalog-${randomUUID()}.jsonl`);
    writeFileSync(
      catalogPath,
      readFileSync(sampleCatalogPath, "utf8").trim().split("\n").slice(0, 50).join("\n"),
    );
    const options = { port: 0, dataDir, catalogPath, env: { POWERTOOLS_LOG_LEVEL: "ERROR" } };
    let stack = await startLocalStack(options);
    let client = new ApiClient(stack.apiUrl, await stack.token("carol"));
    await link(stack, client, "carol-t");
    const created = await client.post("/lists", { title: "Kept", listType: "manual", items: picks });
    const list = await synced(client, created.body.id);
    await stack.stop();

    stack = await startLocalStack(options);
    try {
      client = new ApiClient(stack.apiUrl, await stack.token("carol"));
      expect((await client.get(`/lists/${list.id}`)).body).toMatchObject({
        title: "Kept",
        sync: { state: "synced", traktItemCount: 5 },
      });
      expect((await client.get("/trakt/link")).body).toMatchObject({
        linked: true,
        traktUsername: "carol-t",
      });
      const twin = stack.sandbox!.listsOf("carol-t").find((l) => l.ids.trakt === list.trakt.listId);
      expect(twin?.items).toHaveLength(5);
      // The kept tokens still work at the restarted sandbox: a sync after the restart succeeds.
      expect((await client.post(`/lists/${list.id}/sync`)).status).toBe(202);
      await eventually(async () => {
        const again = (await client.get(`/lists/${list.id}`)).body;
        return again.sync.lastSyncedAt !== list.sync.lastSyncedAt && again.sync.state === "synced"
          ? true
          : undefined;
      }, 60_000);
    } finally {
      await stack.stop();
    }
  }, 300_000);
});
