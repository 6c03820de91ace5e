import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCatalogFiles } from "#catalog/generateCatalog.ts";
import { catalogStore } from "#config/resources.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { eventually } from "#test/support/eventually.ts";
import { linkTrakt, listInState, startTestStack } from "#test/support/localStackTest.ts";

/**
 * The catalog end to end on the local stack: IMDb files dropped into the bucket are ingested by the
 * ingest handler, a custom list reaches the Trakt sandbox identified by IMDb ids exactly as its preview
 * showed, and a later version with changed ratings makes the list follow on Trakt by itself.
 */
let stack: LocalStack;
let alice: ApiClient;
let dataDir: string;
const customList = {
  title: "Well-voted sci-fi and horror",
  listType: "custom",
  filters: { genres: ["science-fiction", "horror"], minVotes: 200 },
  itemLimit: 40,
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "catalog-e2e-"));
  stack = await startTestStack("e2e-catalog");
  alice = new ApiClient(stack.apiUrl, await stack.token("alice"));
  await linkTrakt(alice, stack.sandbox!, "alice");
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** As `npm run catalog -- import` does: both files into one incoming/ folder, then wait for the new version. */
async function importImdb(dir: string, batch: string) {
  const before = (await alice.get("/catalog")).body.version;
  for (const file of ["title.basics.tsv.gz", "title.ratings.tsv.gz"]) {
    const path = join(dir, file);
    await stack.catalogBucket.put(
      `${catalogStore.incomingPrefix}${batch}/${basename(path)}`,
      readFileSync(path),
      "application/gzip",
    );
  }
  await stack.ingestCatalog();
  return eventually(
    async () => {
      const info = await alice.get("/catalog");
      return info.body.version !== before ? info.body : undefined;
    },
    60_000,
    "the new catalog version",
  );
}

function traktImdbIds(listId: number) {
  const twin = stack.sandbox!.listsOf("alice").find((l) => l.ids.trakt === listId);
  return twin?.items.map((i) => (i.movie ?? i.show)!.ids.imdb);
}

describe("the catalog on the local stack", () => {
  it("ingests IMDb files, syncs a custom list by IMDb ids exactly as previewed, and follows a new version", async () => {
    // Prepare: version 1 from generated IMDb files
    await generateCatalogFiles({ titles: 8_000, format: "imdb", outDir: join(dataDir, "v1") });
    const v1 = await importImdb(join(dataDir, "v1"), "v1");
    expect(v1).toMatchObject({
      titleCount: 8_000,
      sources: ["title.basics.tsv.gz", "title.ratings.tsv.gz"],
    });
    expect(v1.movies + v1.shows).toBe(8_000);

    // Act: preview, then create the list
    const preview = await alice.post("/lists/preview", customList);
    expect(preview.status).toBe(200);
    expect(preview.body.catalogVersion).toBe(v1.version);
    expect(preview.body.items.length).toBeGreaterThan(10);
    for (const item of preview.body.items) {
      expect(item.imdbId).toMatch(/^tt\d+$/);
      expect(item.tmdbId).toBeUndefined();
      expect(item.votes).toBeGreaterThanOrEqual(200);
      expect(item.genres.some((g: string) => g === "science-fiction" || g === "horror")).toBe(true);
    }
    const created = await alice.post("/lists", customList);
    expect(created.status).toBe(201);

    // Assess: on Trakt, by IMDb id, exactly the preview
    const synced = await listInState(alice, created.body.id, "synced", { what: "the custom list to sync" });
    expect(synced.catalogVersion).toBe(v1.version);
    expect(synced.sync.notFoundCount).toBe(0);
    const expectedV1 = preview.body.items.map((i: { imdbId: string }) => i.imdbId);
    expect(traktImdbIds(synced.trakt.listId)).toEqual(expectedV1);

    // Act: version 2 changes 30% of ratings and votes; nobody touches the list
    await generateCatalogFiles({
      titles: 20_000,
      format: "imdb",
      outDir: join(dataDir, "v2"),
      changeShare: 0.3,
    });
    const v2 = await importImdb(join(dataDir, "v2"), "v2");
    const preview2 = await alice.post("/lists/preview", customList);
    const expectedV2 = preview2.body.items.map((i: { imdbId: string }) => i.imdbId);
    expect(expectedV2).not.toEqual(expectedV1);

    // Assess: the refresh queued a sync and the list followed on Trakt
    const followed = await eventually(
      async () => {
        const list = (await alice.get(`/lists/${created.body.id}`)).body;
        return list.catalogVersion === v2.version && list.sync.state === "synced" ? list : undefined;
      },
      60_000,
      "the list to follow version 2",
    );
    expect(traktImdbIds(followed.trakt.listId)).toEqual(expectedV2);
    const items = (await alice.get(`/lists/${created.body.id}/items`)).body.items;
    expect(items.map((i: { imdbId: string }) => i.imdbId)).toEqual(expectedV2);
  });

  it("searches titles by words, case- and accent-insensitively, best-ranked first", async () => {
    const found = await alice.get("/catalog/search?q=AMELIE&limit=5");
    expect(found.status).toBe(200);
    expect(found.body.items.length).toBeGreaterThan(0);
    expect(found.body.items.length).toBeLessThanOrEqual(5);
    for (const item of found.body.items) expect(item.title.toLowerCase()).toContain("amélie");
    const shows = await alice.get("/catalog/search?q=amelie&mediaType=show&limit=50");
    for (const item of shows.body.items) expect(item.mediaType).toBe("show");
    expect((await alice.get("/catalog/search?q=amelie&limit=51")).body.error.field).toBe("limit");
    expect((await alice.get("/catalog/search")).body.error.field).toBe("q");
  });

  it("keeps manual items given by IMDb id, pushes them by IMDb id, and removes them by IMDb id", async () => {
    const [first, second] = (await alice.get("/catalog/search?q=star&limit=2")).body.items;
    const created = await alice.post("/lists", {
      title: "By IMDb id",
      listType: "manual",
      items: [
        { mediaType: first.mediaType, imdbId: first.imdbId },
        { mediaType: second.mediaType, imdbId: second.imdbId },
      ],
    });
    expect(created.status).toBe(201);
    const items = (await alice.get(`/lists/${created.body.id}/items`)).body.items;
    expect(items.map((i: { title: string }) => i.title)).toEqual([first.title, second.title]);
    const synced = await listInState(alice, created.body.id, "synced", { what: "the manual list to sync" });
    expect(traktImdbIds(synced.trakt.listId)).toEqual([first.imdbId, second.imdbId]);

    expect(
      (await alice.delete(`/lists/${created.body.id}/items/${first.mediaType}/${first.imdbId}`)).status,
    ).toBe(204);
    expect(
      (await alice.delete(`/lists/${created.body.id}/items/${first.mediaType}/${first.imdbId}`)).status,
    ).toBe(404);
    expect((await alice.delete(`/lists/${created.body.id}/items/movie/tt12`)).status).toBe(404);
    const left = (await alice.get(`/lists/${created.body.id}/items`)).body.items;
    expect(left.map((i: { imdbId: string }) => i.imdbId)).toEqual([second.imdbId]);
  });

  it("refuses to preview a manual list, naming the field, and writes nothing", async () => {
    const before = (await alice.get("/lists")).body.lists.length;
    const refused = await alice.post("/lists/preview", { title: "x", listType: "manual" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe("listType");
    const bad = await alice.post("/lists/preview", { ...customList, itemLimit: 5001 });
    expect(bad.body.error.field).toBe("itemLimit");
    expect((await alice.get("/lists")).body.lists.length).toBe(before);
  });
});
