import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { userKey } from "#adapters/dynamo/keys.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { eventually } from "#test/support/eventually.ts";
import { linkTrakt, listInState, startTestStack } from "#test/support/localStackTest.ts";

/** Limits, unlinking and account deletion through the local stack's API, against the sandbox. */
let stack: LocalStack;
let users: UserRepository;
const savedEnv = { ...process.env };

beforeAll(async () => {
  stack = await startTestStack("e2e-account", {
    minWriteIntervalMs: 0,
    sandbox: { writeIntervalMs: 0 },
    env: { API_RATE_LIMIT_PER_MINUTE: "100000" },
  });
  users = new UserRepository(createDocumentClient(stack.dynamoEndpoint), stack.tableName);
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  process.env.MAX_LISTS_PER_USER = savedEnv.MAX_LISTS_PER_USER ?? "";
  process.env.API_RATE_LIMIT_PER_MINUTE = "100000";
});

async function linkedUser(name: string) {
  const client = new ApiClient(stack.apiUrl, await stack.token(name));
  await linkTrakt(client, stack.sandbox!, name);
  return client;
}

async function syncedList(client: ApiClient, title: string) {
  const created = await client.post("/lists", {
    title,
    listType: "manual",
    items: [{ mediaType: "movie", tmdbId: 550 }],
  });
  expect(created.status).toBe(201);
  return listInState(client, created.body.id, "synced", { timeoutMs: 30_000 });
}

const rawProfile = async (userId: string) =>
  (
    await createDocumentClient(stack.dynamoEndpoint).send(
      new GetCommand({ TableName: stack.tableName, Key: userKey(userId) }),
    )
  ).Item;

describe("per-user limits", () => {
  it("answers 403 quota_exceeded naming MAX_LISTS_PER_USER once the user has that many lists", async () => {
    // Prepare
    process.env.MAX_LISTS_PER_USER = "2";
    const client = new ApiClient(stack.apiUrl, await stack.token("quota-user"));
    const body = { title: "t", listType: "manual" };
    expect((await client.post("/lists", body)).status).toBe(201);
    expect((await client.post("/lists", body)).status).toBe(201);

    // Act
    const third = await client.post("/lists", body);

    // Assess
    expect(third.status).toBe(403);
    expect(third.body.error).toMatchObject({
      code: "quota_exceeded",
      limit: { name: "MAX_LISTS_PER_USER", value: 2 },
    });
    expect((await client.get("/lists")).body.lists).toHaveLength(2);
  });

  it("answers 429 with Retry-After beyond API_RATE_LIMIT_PER_MINUTE requests of one user", async () => {
    // Prepare
    process.env.API_RATE_LIMIT_PER_MINUTE = "5";
    const token = await stack.token("chatty-user");

    // Act: 12 requests cannot fit in two windows of 5
    const answers = [];
    for (let i = 0; i < 12; i++) {
      answers.push(await fetch(`${stack.apiUrl}/lists`, { headers: { authorization: `Bearer ${token}` } }));
    }

    // Assess
    const refused = answers.find((answer) => answer.status === 429);
    expect(refused).toBeDefined();
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await refused!.json()) as { error: unknown }).error).toMatchObject({
      code: "rate_limited",
      limit: { name: "API_RATE_LIMIT_PER_MINUTE", value: 5 },
    });
    const other = new ApiClient(stack.apiUrl, await stack.token("calm-user"));
    expect((await other.get("/lists")).status).toBe(200);
  });

  it("honours force_full at most once per list per 10 minutes", async () => {
    // Prepare
    const client = new ApiClient(stack.apiUrl, await stack.token("force-user"));
    const list = await client.post("/lists", { title: "t", listType: "manual" });

    // Act
    const first = await client.post(`/lists/${list.body.id}/sync?force_full=true`);
    const second = await client.post(`/lists/${list.body.id}/sync?force_full=true`);

    // Assess
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ queued: true, forceFull: true });
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ code: "rate_limited", field: "force_full" });
  });
});

describe("DELETE /trakt/link", () => {
  it("revokes the token at Trakt, forgets it, and the user's lists become auth_required", async () => {
    // Prepare
    const client = await linkedUser("unlinker");
    const list = await syncedList(client, "Kept here");
    const token = (await users.load("unlinker"))!.accessToken;

    // Act
    const answer = await client.delete("/trakt/link");

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ linked: false, revokedAtTrakt: true, listsAffected: 1 });
    const settings = await fetch(`${stack.traktApiUrl}/users/settings`, {
      headers: {
        authorization: `Bearer ${token}`,
        "trakt-api-key": stack.sandbox!.clientId,
        "trakt-api-version": "2",
      },
    });
    expect(settings.status).toBe(401);
    const profile = await rawProfile("unlinker");
    expect(profile?.accessToken).toBeUndefined();
    expect(profile?.refreshToken).toBeUndefined();
    expect((await client.get(`/lists/${list.id}`)).body.sync.state).toBe("auth_required");
  });
});

describe("DELETE /account", () => {
  it("deletes lists, items, tokens and the user's Trakt lists", async () => {
    // Prepare
    const client = await linkedUser("leaver");
    await syncedList(client, "One");
    await syncedList(client, "Two");
    expect(stack.sandbox!.listsOf("leaver")).toHaveLength(2);

    // Act
    const answer = await client.delete("/account");

    // Assess
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ deleted: true, listsDeleted: 2, traktLists: "deleting" });
    expect((await client.get("/lists")).body.lists).toEqual([]);
    await eventually(async () => (stack.sandbox!.listsOf("leaver").length === 0 ? true : undefined), 30_000);
    await eventually(async () => ((await rawProfile("leaver")) === undefined ? true : undefined), 30_000);
  });

  it("with ?keepTraktLists=true leaves the Trakt lists and deletes the tokens at once", async () => {
    // Prepare
    const client = await linkedUser("keeper");
    const list = await syncedList(client, "Mine to keep");

    // Act
    const answer = await client.delete("/account?keepTraktLists=true");

    // Assess
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ listsDeleted: 1, traktLists: "kept", tokens: "deleted" });
    expect(await rawProfile("keeper")).toBeUndefined();
    expect((await client.get(`/lists/${list.id}`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(stack.sandbox!.listsOf("keeper").map((l) => l.name)).toEqual(["Mine to keep"]);
  });

  it("answers 400 for a keepTraktLists that is neither true nor false, deleting nothing", async () => {
    const client = new ApiClient(stack.apiUrl, await stack.token("careful"));
    await client.post("/lists", { title: "t", listType: "manual" });
    const answer = await client.delete("/account?keepTraktLists=yes");
    expect(answer.status).toBe(400);
    expect(answer.body.error.field).toBe("keepTraktLists");
    expect((await client.get("/lists")).body.lists).toHaveLength(1);
  });
});

describe("path ids", () => {
  it("answers 404, never 500, for malformed or over-long ids and out-of-range tmdb ids", async () => {
    // Prepare
    const client = new ApiClient(stack.apiUrl, await stack.token("path-user"));
    const list = await client.post("/lists", { title: "t", listType: "manual" });

    // Act
    const answers = await Promise.all([
      client.get(`/lists/${"x".repeat(2_000)}`),
      client.patch(`/lists/${"x".repeat(2_000)}`, { title: "new" }),
      client.get("/lists/not%20a%20list"),
      client.delete(`/lists/${list.body.id}/items/movie/99999999999`),
      client.delete(`/lists/${list.body.id}/items/movie/2147483648`),
      client.delete(`/lists/${list.body.id}/items/book/1`),
      client.delete(`/lists/${list.body.id}/items/movie/1e3`),
      client.post(`/lists/${"y".repeat(1_500)}/sync`),
    ]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    expect(answers[0]!.body.error.code).toBe("not_found");
  });
});
