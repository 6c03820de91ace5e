import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TraktSandbox, UserGrant, UserStats } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { startTraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";

const CLIENT_ID = "test-client-id";
const CLIENT_SECRET = "test-client-secret";

let sandbox: TraktSandbox;

interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are asserted field by field
  json: any;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "trakt-api-key": CLIENT_ID,
    "trakt-api-version": "2",
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${sandbox.url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const movies = (...tmdbIds: number[]) => tmdbIds.map((tmdb) => ({ ids: { tmdb } }));

async function createList(user: UserGrant, name: string, extra: Record<string, unknown> = {}) {
  const answer = await call("POST", "/users/me/lists", {
    token: user.access_token,
    body: { name, ...extra },
  });
  expect(answer.status).toBe(201);
  return answer.json as { ids: { trakt: number; slug: string } };
}

async function addMovies(user: UserGrant, listId: number, tmdbIds: number[]) {
  const answer = await call("POST", `/users/me/lists/${listId}/items`, {
    token: user.access_token,
    body: { movies: movies(...tmdbIds) },
  });
  expect(answer.status).toBe(201);
  return answer.json;
}

function listedTmdbIds(slug: string, listIndex = 0): number[] {
  return (sandbox.listsOf(slug)[listIndex]?.items ?? []).map(
    (item) => (item.movie ?? item.show)?.ids.tmdb ?? -1,
  );
}

beforeAll(async () => {
  sandbox = await startTraktSandbox({
    port: 0,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    writeIntervalMs: 0,
    deviceIntervalSeconds: 0,
  });
});

afterAll(async () => {
  await sandbox.stop();
});

beforeEach(() => {
  sandbox.reset();
});

describe("Trakt sandbox: lists", () => {
  it("creates, lists, gets, renames and deletes a list", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");

    // Act
    const created = await call("POST", "/users/me/lists", {
      token: alice.access_token,
      body: { name: "Best Of", description: "marker" },
    });
    const id = created.json.ids.trakt;
    const listed = await call("GET", "/users/me/lists", { token: alice.access_token });
    const bySlug = await call("GET", "/users/alice/lists/best-of", { token: alice.access_token });
    const renamed = await call("PUT", `/users/me/lists/${id}`, {
      token: alice.access_token,
      body: { name: "Renamed" },
    });
    const deleted = await call("DELETE", `/users/me/lists/${id}`, { token: alice.access_token });
    const gone = await call("GET", `/users/me/lists/${id}`, { token: alice.access_token });

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toContain("application/json");
    expect(created.json).toMatchObject({
      name: "Best Of",
      description: "marker",
      privacy: "private",
      type: "personal",
      sort_by: "rank",
      sort_how: "asc",
      item_count: 0,
      ids: { slug: "best-of" },
      user: { username: "alice", ids: { slug: "alice" } },
    });
    expect(listed.json.map((list: { ids: { trakt: number } }) => list.ids.trakt)).toEqual([id]);
    expect(bySlug.json.ids.trakt).toBe(id);
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: "Renamed", ids: { trakt: id, slug: "best-of" } });
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
    expect(sandbox.listsOf("alice")).toEqual([]);
  });

  it("suffixes the slug of lists with the same name and requires a name", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");

    // Act
    const first = await createList(alice, "Watch Later");
    const second = await createList(alice, "Watch Later");
    const third = await createList(alice, "Watch Later");
    const nameless = await call("POST", "/users/me/lists", {
      token: alice.access_token,
      body: { privacy: "public" },
    });

    // Assess
    expect([first.ids.slug, second.ids.slug, third.ids.slug]).toEqual([
      "watch-later",
      "watch-later-2",
      "watch-later-3",
    ]);
    expect(new Set([first.ids.trakt, second.ids.trakt, third.ids.trakt]).size).toBe(3);
    expect(nameless.status).toBe(422);
  });

  it("hides another user's private list (404) and refuses changes to a public one", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    const bob = sandbox.createUser("bob");
    const secret = await createList(alice, "Secret");
    const open = await createList(alice, "Open", { privacy: "public" });

    // Act
    const privateGet = await call("GET", `/users/alice/lists/${secret.ids.trakt}`, {
      token: bob.access_token,
    });
    const privateItems = await call("GET", `/users/alice/lists/${secret.ids.trakt}/items`, {
      token: bob.access_token,
    });
    const privateDelete = await call("DELETE", `/users/alice/lists/${secret.ids.trakt}`, {
      token: bob.access_token,
    });
    const viaOwnNamespace = await call("GET", `/users/me/lists/${secret.ids.trakt}`, {
      token: bob.access_token,
    });
    const listing = await call("GET", "/users/alice/lists", { token: bob.access_token });
    const publicDelete = await call("DELETE", `/users/alice/lists/${open.ids.trakt}`, {
      token: bob.access_token,
    });

    // Assess
    expect(privateGet.status).toBe(404);
    expect(privateItems.status).toBe(404);
    expect(privateDelete.status).toBe(404);
    expect(viaOwnNamespace.status).toBe(404);
    expect(listing.json.map((list: { name: string }) => list.name)).toEqual(["Open"]);
    expect(publicDelete.status).toBe(403);
    expect(sandbox.listsOf("alice")).toHaveLength(2);
  });

  it("reports the account limits in /users/settings", async () => {
    // Prepare
    const alice = sandbox.createUser("alice", { vip: true, limits: { listCount: 5, itemCount: 250 } });

    // Act
    const settings = await call("GET", "/users/settings", { token: alice.access_token });

    // Assess
    expect(settings.status).toBe(200);
    expect(settings.json).toMatchObject({
      user: { username: "alice", ids: { slug: "alice" } },
      account: { vip: true },
      limits: { list: { count: 5, item_count: 250 }, watchlist: { item_count: 250 } },
    });
  });
});

describe("Trakt sandbox: items", () => {
  it("pages items with pagination headers and clamps the page size to 250", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    const list = await createList(alice, "Big");
    const tmdbIds = Array.from({ length: 600 }, (_, index) => index + 1);
    await addMovies(alice, list.ids.trakt, tmdbIds);
    const path = `/users/me/lists/${list.ids.trakt}/items`;

    // Act
    const byDefault = await call("GET", path, { token: alice.access_token });
    const pages = [];
    for (let page = 1; page <= 3; page += 1) {
      pages.push(await call("GET", `${path}?page=${page}&limit=1000`, { token: alice.access_token }));
    }

    // Assess
    expect(byDefault.json).toHaveLength(100);
    expect(byDefault.headers.get("x-pagination-limit")).toBe("100");
    expect(byDefault.headers.get("x-pagination-page-count")).toBe("6");
    expect(pages.map((page) => page.headers.get("x-pagination-page"))).toEqual(["1", "2", "3"]);
    expect(pages.map((page) => page.headers.get("x-pagination-limit"))).toEqual(["250", "250", "250"]);
    expect(pages.map((page) => page.headers.get("x-pagination-page-count"))).toEqual(["3", "3", "3"]);
    expect(pages.map((page) => page.headers.get("x-pagination-item-count"))).toEqual(["600", "600", "600"]);
    expect(pages.map((page) => page.json.length)).toEqual([250, 250, 100]);
    const all = pages.flatMap((page) => page.json);
    expect(all.map((item: { rank: number }) => item.rank)).toEqual(tmdbIds);
    expect(all.map((item: { movie: { ids: { tmdb: number } } }) => item.movie.ids.tmdb)).toEqual(tmdbIds);
  });

  it("adds titles by any id, reports existing and not_found, and filters by type", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    const list = await createList(alice, "Mixed");
    await addMovies(alice, list.ids.trakt, [550]);
    sandbox.markUnknown({ movies: [13] });
    const body = {
      movies: [
        { ids: { tmdb: 550 } },
        { ids: { imdb: "tt0000603" } },
        { ids: { trakt: 1_000_680 } },
        { ids: { slug: "movie-27205" } },
        { ids: { tmdb: 95_000_000 } },
        { ids: { imdb: "not-an-id" } },
        { ids: { tmdb: 13 } },
      ],
      shows: [{ ids: { tvdb: 381_399 } }, { ids: { imdb: "tt100001668" } }],
    };

    // Act
    const added = await call("POST", `/users/alice/lists/${list.ids.trakt}/items`, {
      token: alice.access_token,
      body,
    });
    const onlyShows = await call("GET", `/users/me/lists/${list.ids.trakt}/items/shows`, {
      token: alice.access_token,
    });
    const item = (
      await call("GET", `/users/me/lists/${list.ids.trakt}/items/movie`, { token: alice.access_token })
    ).json[1];

    // Assess
    expect(added.status).toBe(201);
    expect(added.json).toEqual({
      added: { movies: 3, shows: 2, seasons: 0, episodes: 0, people: 0 },
      existing: { movies: 1, shows: 0, seasons: 0, episodes: 0, people: 0 },
      not_found: {
        movies: [{ ids: { tmdb: 95_000_000 } }, { ids: { imdb: "not-an-id" } }, { ids: { tmdb: 13 } }],
        shows: [],
        seasons: [],
        episodes: [],
        people: [],
      },
      list: { updated_at: expect.any(String), item_count: 6 },
    });
    expect(listedTmdbIds("alice")).toEqual([550, 603, 680, 27205, 81399, 1668]);
    expect(onlyShows.json.map((entry: { rank: number }) => entry.rank)).toEqual([5, 6]);
    expect(onlyShows.json[0]).toMatchObject({
      type: "show",
      show: {
        title: "Show 81399",
        ids: { tmdb: 81399, trakt: 5_081_399, tvdb: 381_399, slug: "show-81399" },
      },
    });
    expect(item).toMatchObject({
      rank: 2,
      id: expect.any(Number),
      listed_at: expect.any(String),
      notes: null,
      type: "movie",
      movie: {
        title: "Movie 603",
        year: expect.any(Number),
        ids: { trakt: 1_000_603, imdb: "tt0000603", tmdb: 603 },
      },
    });
  });

  it("removes titles and compacts the ranks", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    const list = await createList(alice, "Shrinking");
    await addMovies(alice, list.ids.trakt, [1, 2, 3, 4, 5]);

    // Act
    const removed = await call("POST", `/users/me/lists/${list.ids.trakt}/items/remove`, {
      token: alice.access_token,
      body: { movies: [...movies(2, 4, 99), { ids: { tmdb: 95_000_000 } }] },
    });

    // Assess
    expect(removed.status).toBe(200);
    expect(removed.json).toMatchObject({
      deleted: { movies: 2, shows: 0 },
      not_found: { movies: [{ ids: { tmdb: 95_000_000 } }], shows: [] },
      list: { item_count: 3 },
    });
    const items = sandbox.listsOf("alice")[0]?.items ?? [];
    expect(items.map((item) => [item.rank, item.movie?.ids.tmdb])).toEqual([
      [1, 1],
      [2, 3],
      [3, 5],
    ]);
  });

  it("reorders by list-item ids and keeps the rest in their previous order", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    const list = await createList(alice, "Ordered");
    await addMovies(alice, list.ids.trakt, [10, 20, 30, 40]);
    const itemIds = (sandbox.listsOf("alice")[0]?.items ?? []).map((item) => item.id);

    // Act
    const reordered = await call("POST", `/users/me/lists/${list.ids.trakt}/items/reorder`, {
      token: alice.access_token,
      body: { rank: [itemIds[2], 424242, itemIds[0]] },
    });

    // Assess
    expect(reordered.status).toBe(200);
    expect(reordered.json).toMatchObject({ updated: 2, skipped_ids: [424242], list: { item_count: 4 } });
    expect(listedTmdbIds("alice")).toEqual([30, 10, 20, 40]);
    expect(sandbox.listsOf("alice")[0]?.items.map((item) => item.rank)).toEqual([1, 2, 3, 4]);
  });
});

describe("Trakt sandbox: limits", () => {
  it("answers a second write inside the interval with 429, Retry-After and X-Ratelimit, changing nothing", async () => {
    // Prepare
    sandbox.configure({ writeIntervalMs: 1000 });
    const alice = sandbox.createUser("alice");
    await createList(alice, "First");

    // Act
    const second = await call("POST", "/users/me/lists", {
      token: alice.access_token,
      body: { name: "Second" },
    });
    const read = await call("GET", "/users/me/lists", { token: alice.access_token });

    // Assess
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(second.headers.get("x-ratelimit") ?? "{}")).toMatchObject({
      name: "AUTHED_API_POST_LIMIT",
      period: 1,
      limit: 1,
      remaining: 0,
      until: expect.any(String),
    });
    expect(read.status).toBe(200);
    expect(sandbox.listsOf("alice").map((list) => list.name)).toEqual(["First"]);
    expect(sandbox.writeLog("alice")).toHaveLength(1);
    expect(sandbox.stats().alice).toMatchObject({ acceptedWrites: 1, rateLimited: 1 });
  });

  it("limits authenticated GETs per period", async () => {
    // Prepare
    sandbox.configure({ getLimit: { limit: 2, periodSeconds: 60 } });
    const alice = sandbox.createUser("alice");

    // Act
    const answers = [];
    for (let index = 0; index < 3; index += 1) {
      answers.push(await call("GET", "/users/me/lists", { token: alice.access_token }));
    }

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(JSON.parse(answers[2]?.headers.get("x-ratelimit") ?? "{}")).toMatchObject({
      name: "AUTHED_API_GET_LIMIT",
      limit: 2,
      period: 60,
    });
  });

  it("answers 420 with no body and no headers at the list-count limit", async () => {
    // Prepare
    const alice = sandbox.createUser("alice", { limits: { listCount: 2, itemCount: 10 } });
    await createList(alice, "One");
    await createList(alice, "Two");

    // Act
    const third = await call("POST", "/users/me/lists", {
      token: alice.access_token,
      body: { name: "Three" },
    });

    // Assess
    expect(third.status).toBe(420);
    expect(third.text).toBe("");
    expect(third.headers.get("content-type")).toBeNull();
    expect(third.headers.get("retry-after")).toBeNull();
    expect(sandbox.listsOf("alice")).toHaveLength(2);
    expect(sandbox.stats().alice?.limitExceeded).toBe(1);
  });

  it("answers 420 and applies nothing when an add would exceed the item limit", async () => {
    // Prepare
    const alice = sandbox.createUser("alice", { limits: { listCount: 2, itemCount: 3 } });
    const list = await createList(alice, "Small");
    await addMovies(alice, list.ids.trakt, [1, 2]);

    // Act
    const tooMany = await call("POST", `/users/me/lists/${list.ids.trakt}/items`, {
      token: alice.access_token,
      body: { movies: movies(1, 3, 4) },
    });
    const fits = await call("POST", `/users/me/lists/${list.ids.trakt}/items`, {
      token: alice.access_token,
      body: { movies: movies(1, 3) },
    });

    // Assess
    expect(tooMany.status).toBe(420);
    expect(fits.status).toBe(201);
    expect(listedTmdbIds("alice")).toEqual([1, 2, 3]);
  });
});

describe("Trakt sandbox: authentication", () => {
  it("rejects a wrong API key with 403, unknown routes with 404, wrong methods with 405 and bad JSON with 400", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");

    // Act
    const wrongKey = await call("GET", "/users/me/lists", {
      token: alice.access_token,
      headers: { "trakt-api-key": "nope" },
    });
    const unknown = await call("GET", "/movies/trending", { token: alice.access_token });
    const wrongMethod = await call("PATCH", "/users/me/lists", { token: alice.access_token, body: {} });
    const badJson = await call("POST", "/users/me/lists", { token: alice.access_token, rawBody: "{name:" });

    // Assess
    expect(wrongKey.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
    expect(badJson.status).toBe(400);
    expect(sandbox.listsOf("alice")).toEqual([]);
  });

  it("answers 401 without a token and with an expired one", async () => {
    // Prepare
    sandbox.configure({ accessTokenTtlSeconds: 0 });
    const alice = sandbox.createUser("alice");

    // Act
    const missing = await call("GET", "/users/me/lists");
    const expired = await call("GET", "/users/me/lists", { token: alice.access_token });
    const write = await call("POST", "/users/me/lists", { token: alice.access_token, body: { name: "x" } });

    // Assess
    expect(missing.status).toBe(401);
    expect(expired.status).toBe(401);
    expect(write.status).toBe(401);
    expect(sandbox.writeLog()).toEqual([]);
  });

  it("treats refresh tokens as single use and retires the old access token", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    const refreshBody = {
      refresh_token: alice.refresh_token,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
      grant_type: "refresh_token",
    };

    // Act
    const first = await call("POST", "/oauth/token", { body: refreshBody });
    const second = await call("POST", "/oauth/token", { body: refreshBody });
    const withOld = await call("GET", "/users/me/lists", { token: alice.access_token });
    const withNew = await call("GET", "/users/me/lists", { token: first.json.access_token });

    // Assess
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: "bearer",
      scope: "public",
      expires_in: 7 * 24 * 3600,
      created_at: expect.any(Number),
    });
    expect(first.json.refresh_token).not.toBe(alice.refresh_token);
    expect(second.status).toBe(401);
    expect(second.json.error).toBe("invalid_grant");
    expect(withOld.status).toBe(401);
    expect(withNew.status).toBe(200);
  });

  it("runs the authorization-code flow with PKCE; a code works once", async () => {
    // Prepare
    const verifier = "a-long-enough-code-verifier-for-the-sandbox-0123456789";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const query = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: "http://localhost/callback",
      state: "xyz",
      code_challenge: challenge,
      code_challenge_method: "S256",
      sandbox_user: "erin",
    });
    const redirect = await fetch(`${sandbox.url}/oauth/authorize?${query}`, { redirect: "manual" });
    const location = new URL(redirect.headers.get("location") ?? "");
    const body = {
      code: location.searchParams.get("code"),
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: "http://localhost/callback",
      code_verifier: verifier,
      grant_type: "authorization_code",
    };

    // Act
    const exchanged = await call("POST", "/oauth/token", { body });
    const reused = await call("POST", "/oauth/token", { body });

    // Assess
    expect(redirect.status).toBe(302);
    expect(location.searchParams.get("state")).toBe("xyz");
    expect(exchanged.status).toBe(200);
    expect(exchanged.json.access_token).toEqual(expect.any(String));
    expect(reused.status).toBe(401);
  });

  it("runs the device flow: pending, approved, tokens, then 409", async () => {
    // Prepare
    const code = await call("POST", "/oauth/device/code", { body: { client_id: CLIENT_ID } });
    const poll = () =>
      call("POST", "/oauth/device/token", {
        body: { code: code.json.device_code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      });

    // Act
    const pending = await poll();
    const approval = await fetch(`${sandbox.url}/_sandbox/device/approve`, {
      method: "POST",
      body: JSON.stringify({ user_code: code.json.user_code, slug: "carol" }),
    });
    const approved = await poll();
    const reused = await poll();
    const badCode = await call("POST", "/oauth/device/token", {
      body: { code: "nope", client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    });
    const settings = await call("GET", "/users/settings", { token: approved.json.access_token });

    // Assess
    expect(code.json).toMatchObject({
      device_code: expect.any(String),
      verification_url: expect.any(String),
      expires_in: 600,
      interval: 0,
    });
    expect(code.json.user_code).toMatch(/^[A-Z0-9]{8}$/);
    expect(pending.status).toBe(400);
    expect(approval.status).toBe(200);
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({
      token_type: "bearer",
      scope: "public",
      access_token: expect.any(String),
    });
    expect(reused.status).toBe(409);
    expect(badCode.status).toBe(404);
    expect(settings.json.user.ids.slug).toBe("carol");
  });

  it("answers 418 for a denied device code and 429 when polled faster than the interval", async () => {
    // Prepare
    sandbox.configure({ deviceIntervalSeconds: 1 });
    const denied = await call("POST", "/oauth/device/code", { body: { client_id: CLIENT_ID } });
    const fast = await call("POST", "/oauth/device/code", { body: { client_id: CLIENT_ID } });
    sandbox.denyDevice(denied.json.user_code);
    const poll = (deviceCode: string) =>
      call("POST", "/oauth/device/token", {
        body: { code: deviceCode, client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      });

    // Act
    const deniedPoll = await poll(denied.json.device_code);
    const firstPoll = await poll(fast.json.device_code);
    const tooSoon = await poll(fast.json.device_code);

    // Assess
    expect(fast.json.interval).toBe(1);
    expect(deniedPoll.status).toBe(418);
    expect(firstPoll.status).toBe(400);
    expect(tooSoon.status).toBe(429);
  });
});

describe("Trakt sandbox: faults", () => {
  it("error_before_apply answers the error and changes nothing", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    sandbox.setFaults({
      rules: [{ kind: "error_before_apply", match: { method: "POST" }, status: 502, times: 1 }],
    });

    // Act
    const failed = await call("POST", "/users/me/lists", { token: alice.access_token, body: { name: "A" } });
    const retried = await call("POST", "/users/me/lists", { token: alice.access_token, body: { name: "A" } });

    // Assess
    expect(failed.status).toBe(502);
    expect(retried.status).toBe(201);
    expect(sandbox.listsOf("alice").map((list) => list.ids.slug)).toEqual(["a"]);
    expect(sandbox.stats().alice?.faults).toEqual({ error_before_apply: 1 });
  });

  it("error_after_apply applies the write, then answers the error", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    sandbox.setFaults({
      rules: [
        { kind: "error_after_apply", match: { user: "alice", pathPattern: "/users/*/lists" }, times: 1 },
      ],
    });

    // Act
    const failed = await call("POST", "/users/me/lists", {
      token: alice.access_token,
      body: { name: "Applied" },
    });

    // Assess
    expect(failed.status).toBe(503);
    expect(sandbox.listsOf("alice").map((list) => list.name)).toEqual(["Applied"]);
    expect(sandbox.writeLog("alice")).toEqual([
      { at: expect.any(Number), method: "POST", path: "/users/me/lists", user: "alice", status: 503 },
    ]);
  });

  it("headerless_429 answers HTML without Retry-After or X-Ratelimit", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    sandbox.setFaults({ rules: [{ kind: "headerless_429", match: { pathPattern: "/lists" }, times: 1 }] });

    // Act
    const edge = await call("GET", "/users/me/lists", { token: alice.access_token });
    const after = await call("GET", "/users/me/lists", { token: alice.access_token });

    // Assess
    expect(edge.status).toBe(429);
    expect(edge.headers.get("content-type")).toContain("text/html");
    expect(edge.headers.get("retry-after")).toBeNull();
    expect(edge.headers.get("x-ratelimit")).toBeNull();
    expect(after.status).toBe(200);
  });

  it("slow delays the answer", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    sandbox.setFaults({ rules: [{ kind: "slow", delayMs: 300 }] });

    // Act
    const started = Date.now();
    const answer = await call("GET", "/users/me/lists", { token: alice.access_token });
    const elapsed = Date.now() - started;

    // Assess
    expect(answer.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it("reset_connection destroys the socket", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    sandbox.setFaults({ rules: [{ kind: "reset_connection", match: { method: "POST" }, times: 1 }] });

    // Act
    const attempt = call("POST", "/users/me/lists", { token: alice.access_token, body: { name: "Lost" } });

    // Assess
    await expect(attempt).rejects.toThrow();
    expect(sandbox.listsOf("alice")).toEqual([]);
    expect(sandbox.stats().alice?.faults).toEqual({ reset_connection: 1 });
  });

  it("fires probabilistic faults reproducibly for the same seed", async () => {
    // Prepare
    const alice = sandbox.createUser("alice");
    const run = async () => {
      sandbox.setFaults({ seed: 7, rules: [{ kind: "error_before_apply", probability: 0.5 }] });
      const statuses = [];
      for (let index = 0; index < 12; index += 1) {
        statuses.push((await call("GET", "/users/me/lists", { token: alice.access_token })).status);
      }
      return statuses;
    };

    // Act
    const first = await run();
    const second = await run();

    // Assess
    expect(first).toEqual(second);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });
});

describe("Trakt sandbox: control API", () => {
  it("creates users, reports lists, writes and stats, sets limits and resets over HTTP", async () => {
    // Prepare
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${sandbox.url}/_sandbox${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    // Act
    const createdAnswer = await control("POST", "/users", { slug: "dave", limits: { listCount: 1 } });
    const created = (await createdAnswer.json()) as UserGrant;
    await call("POST", "/users/me/lists", { token: created.access_token, body: { name: "Only" } });
    const lists = await (await control("GET", "/users/dave/lists")).json();
    const writes = await (await control("GET", "/writes?user=dave")).json();
    const stats = (await (await control("GET", "/stats")).json()) as Record<string, UserStats>;
    const limits = await (await control("POST", "/users/dave/limits", { listCount: 3, itemCount: 7 })).json();
    const faults = await control("PUT", "/faults", { rules: [{ kind: "nonsense" }] });
    const health = await fetch(`${sandbox.url}/health`);
    const reset = await control("POST", "/reset");
    const afterReset = await control("GET", "/users/dave/lists");

    // Assess
    expect(created).toMatchObject({ slug: "dave", access_token: expect.any(String), expires_in: 604800 });
    expect(lists).toMatchObject([{ name: "Only", items: [] }]);
    expect(writes).toEqual([
      { at: expect.any(Number), method: "POST", path: "/users/me/lists", user: "dave", status: 201 },
    ]);
    expect(stats.dave).toMatchObject({ requests: { POST: 1 }, acceptedWrites: 1 });
    expect(limits).toEqual({ listCount: 3, itemCount: 7 });
    expect(faults.status).toBe(400);
    expect(health.status).toBe(200);
    expect(reset.status).toBe(200);
    expect(afterReset.status).toBe(404);
  });
});
