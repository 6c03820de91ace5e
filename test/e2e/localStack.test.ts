import { readFileSync } from "node:fs";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCatalogFeed } from "#catalog/catalogFeed.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import { localContext } from "#infra/local/runtime/lambdaContext.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { eventually } from "#test/support/eventually.ts";
import { linkTrakt, listInState, startTestStack } from "#test/support/localStackTest.ts";

let stack: LocalStack;
let alice: ApiClient;
let bob: ApiClient;
const catalog = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8"));

beforeAll(async () => {
  stack = await startTestStack("e2e", { env: { API_RATE_LIMIT_PER_MINUTE: "100000" } });
  alice = new ApiClient(stack.apiUrl, await stack.token("alice"));
  bob = new ApiClient(stack.apiUrl, await stack.token("bob"));
  await linkTrakt(alice, stack.sandbox!, "alice-on-trakt");
});

afterAll(async () => {
  await stack?.stop();
});

const waitForSync = (client: ApiClient, listId: string, state = "synced") =>
  listInState(client, listId, state);

function sandboxItems(slug: string, traktListId: number) {
  const twin = stack.sandbox!.listsOf(slug).find((l) => l.ids.trakt === traktListId);
  return twin?.items.map((i) => `${i.type}:${(i.movie ?? i.show)!.ids.tmdb}`);
}

describe("the local stack, end to end", () => {
  it("mirrors a 150-title manual list and a custom list to Trakt with exactly their items in rank order", async () => {
    // Prepare
    const picks = catalog.filter((t) => t.tmdbId < 90_000_000).slice(0, 150);
    const items = picks.map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));

    // Act
    const manual = await alice.post("/lists", { title: "My picks", listType: "manual", items });
    const custom = await alice.post("/lists", {
      title: "Top sci-fi",
      listType: "custom",
      filters: { genres: ["science-fiction"], minVotes: 1_000, yearFrom: 1990 },
      itemLimit: 60,
    });

    // Assess
    expect(manual.status).toBe(201);
    expect(custom.status).toBe(201);
    const [manualSynced, customSynced] = await Promise.all([
      waitForSync(alice, manual.body.id),
      waitForSync(alice, custom.body.id),
    ]);
    expect(manualSynced.sync).toMatchObject({
      localItemCount: 150,
      traktItemCount: 150,
      notFoundCount: 0,
      lastError: null,
    });
    expect(sandboxItems("alice-on-trakt", manualSynced.trakt.listId)).toEqual(
      items.map((i) => `${i.mediaType}:${i.tmdbId}`),
    );
    const customItems = (await alice.get(`/lists/${custom.body.id}/items`)).body.items;
    expect(customItems).toHaveLength(60);
    expect(customSynced.sync.traktItemCount).toBe(60 - customSynced.sync.notFoundCount);
    const expectedCustom = customItems
      .filter((i: { notFoundOnTrakt: boolean }) => !i.notFoundOnTrakt)
      .map((i: { mediaType: string; tmdbId: number }) => `${i.mediaType}:${i.tmdbId}`);
    expect(sandboxItems("alice-on-trakt", customSynced.trakt.listId)).toEqual(expectedCustom);
    expect(stack.sandbox!.listsOf("alice-on-trakt").filter((l) => l.name === "My picks")).toHaveLength(1);
  });

  it("propagates added and removed items of a manual list", async () => {
    // Prepare
    const created = await alice.post("/lists", {
      title: "Edits",
      listType: "manual",
      items: [
        { mediaType: "movie", tmdbId: 11 },
        { mediaType: "movie", tmdbId: 12 },
      ],
    });
    await waitForSync(alice, created.body.id);

    // Act
    const added = await alice.post(`/lists/${created.body.id}/items`, {
      items: [{ mediaType: "show", tmdbId: 13 }],
    });
    const removed = await alice.delete(`/lists/${created.body.id}/items/movie/11`);

    // Assess
    expect(added.status).toBe(200);
    expect(removed.status).toBe(204);
    const synced = await eventually(
      async () => {
        const list = (await alice.get(`/lists/${created.body.id}`)).body;
        const onTrakt = sandboxItems("alice-on-trakt", list.trakt.listId);
        return JSON.stringify(onTrakt) === JSON.stringify(["movie:12", "show:13"]) ? list : undefined;
      },
      30_000,
      "Trakt to show the edits",
    );
    expect(synced.trakt.listId).toBe(created.body.trakt.listId ?? synced.trakt.listId);
  });

  it("deletes the Trakt list when the list is deleted", async () => {
    // Prepare
    const created = await alice.post("/lists", {
      title: "Short-lived",
      listType: "manual",
      items: [{ mediaType: "movie", tmdbId: 21 }],
    });
    const synced = await waitForSync(alice, created.body.id);

    // Act
    const deleted = await alice.delete(`/lists/${created.body.id}`);

    // Assess
    expect(deleted.status).toBe(204);
    expect((await alice.get(`/lists/${created.body.id}`)).status).toBe(404);
    await eventually(
      async () =>
        stack.sandbox!.listsOf("alice-on-trakt").some((l) => l.ids.trakt === synced.trakt.listId)
          ? undefined
          : true,
      30_000,
      "the Trakt list to be deleted",
    );
  });

  it("answers 404 to another user's list on every route and changes nothing", async () => {
    // Prepare
    const own = (await alice.get("/lists")).body.lists[0];
    const before = await alice.get(`/lists/${own.id}`);

    // Act
    const answers = await Promise.all([
      bob.get(`/lists/${own.id}`),
      bob.patch(`/lists/${own.id}`, { title: "mine now" }),
      bob.delete(`/lists/${own.id}`),
      bob.get(`/lists/${own.id}/items`),
      bob.post(`/lists/${own.id}/items`, { items: [{ mediaType: "movie", tmdbId: 1 }] }),
      bob.delete(`/lists/${own.id}/items/movie/1`),
      bob.post(`/lists/${own.id}/sync`),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await bob.get("/lists")).body.lists).toEqual([]);
    expect((await alice.get(`/lists/${own.id}`)).body.title).toBe(before.body.title);
  });

  it("answers bad input with a 400 naming the field, and creates nothing", async () => {
    // Prepare
    const before = (await alice.get("/lists")).body.lists.length;

    // Act
    const answers = await Promise.all([
      alice.post("/lists", { title: "x".repeat(101), listType: "manual" }),
      alice.post("/lists", { title: "ok", listType: "playlist" }),
      alice.post("/lists", { title: "ok", listType: "custom", itemLimit: 0 }),
      alice.post("/lists", { title: "ok", listType: "custom", colour: "red" }),
      alice.post("/lists", { title: "ok", listType: "custom", filters: { yearFrom: 2020, yearTo: 1990 } }),
      alice.post("/lists", {
        title: "ok",
        listType: "manual",
        items: [{ mediaType: "movie", tmdbId: "12" }],
      }),
      alice.request("POST", "/lists", undefined, "{not json"),
    ]);

    // Assess
    expect(answers.map((a) => [a.status, a.body.error.field])).toEqual([
      [400, "title"],
      [400, "listType"],
      [400, "itemLimit"],
      [400, "colour"],
      [400, "filters.yearTo"],
      [400, "items.0.tmdbId"],
      [400, "body"],
    ]);
    expect((await alice.get("/lists")).body.lists).toHaveLength(before);
  });

  it("dead-letters an unreadable stream record without failing the rest of its batch", async () => {
    // Prepare: a batch with a record that is no list and a valid INSERT of a real list
    const created = await alice.post("/lists", {
      title: "Batch mate",
      listType: "manual",
      items: [{ mediaType: "movie", tmdbId: 31 }],
    });
    await waitForSync(alice, created.body.id);
    const { handler } = await import("#lambdas/list-created/handler.ts");
    const valid = {
      eventID: "valid",
      eventName: "INSERT" as const,
      dynamodb: {
        SequenceNumber: "2",
        NewImage: {
          entity: { S: "LIST" },
          userId: { S: "alice" },
          listId: { S: created.body.id },
        },
      },
    };
    const broken = {
      eventID: "broken",
      eventName: "INSERT" as const,
      dynamodb: { SequenceNumber: "1", NewImage: { entity: { S: "LIST" } } },
    };

    // Act
    const response = await handler({ Records: [broken, valid] }, localContext("list-created", 120));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.queues.streamFailures,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body ?? "{}").record.eventID)).toEqual(["broken"]);
    expect(stack.sandbox!.listsOf("alice-on-trakt").filter((l) => l.name === "Batch mate")).toHaveLength(1);
  });

  it("rejects calls without a valid token like the JWT authorizer does", async () => {
    // Act
    const anonymous = await new ApiClient(stack.apiUrl).get("/lists");
    const forged = await new ApiClient(stack.apiUrl, "not.a.jwt").get("/lists");
    const health = await new ApiClient(stack.apiUrl).get("/health");

    // Assess
    expect(anonymous.status).toBe(401);
    expect(forged.status).toBe(401);
    expect(health.status).toBe(200);
  });
});
