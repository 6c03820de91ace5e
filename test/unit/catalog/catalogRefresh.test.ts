import { describe, expect, it } from "vitest";
import type { Catalog } from "#catalog/Catalog.ts";
import type { CatalogTitle } from "#domain/catalog.ts";
import { defaultFilters } from "#domain/filters.ts";
import type { ListRecord } from "#domain/list.ts";
import type { DirectoryPosition } from "#sync/catalogRefresh.ts";
import { type CatalogRefreshState, runCatalogRefresh } from "#sync/catalogRefresh.ts";
import type { SyncRequest } from "#sync/ports.ts";
import { catalogOf } from "#test/support/memoryCatalog.ts";

const titles: CatalogTitle[] = Array.from({ length: 50 }, (_, i) => ({
  mediaType: "movie",
  tmdbId: i + 1,
  title: `T${i}`,
  year: 2000,
  genres: [i % 2 ? "drama" : "comedy"],
  rating: 5 + (i % 40) / 10,
  votes: 10_000 + i,
}));

/** The same titles with one drama's rating pushed to the top: drama lists change, comedy lists do not. */
const dramaChanged = titles.map((t) => (t.tmdbId === 2 ? { ...t, rating: 9.9 } : t));

function customList(userId: string, n: number, genre: string, catalog: Catalog): ListRecord {
  const filters = { ...defaultFilters, genres: [genre] };
  return {
    listId: `${userId}-list-${n}`,
    userId,
    title: `${genre} ${n}`,
    listType: "custom",
    filters,
    itemLimit: 10,
    privacy: "private",
    syncState: "synced",
    localItemCount: 10,
    lastAdded: 0,
    lastRemoved: 0,
    notFound: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    // As its last sync recorded it.
    catalogVersion: catalog.version,
    selectionHash: catalog.select(filters, 10).selectionHash,
  };
}

function world(userCount: number) {
  const first = catalogOf(titles, "v1");
  const users = Array.from({ length: userCount }, (_, i) => `user-${String(i).padStart(3, "0")}`);
  const lists = new Map(
    users.map((u) => [u, [customList(u, 1, "drama", first), customList(u, 2, "comedy", first)]]),
  );
  const queued: SyncRequest[] = [];
  let state: CatalogRefreshState | undefined;
  let current = first;
  const listReads: string[] = [];
  const deps = {
    state: {
      load: async () => state,
      save: async (saved: CatalogRefreshState) => {
        state = saved;
      },
    },
    async *usersAfter(after?: DirectoryPosition) {
      for (const userId of users) if (!after || userId > after.userId) yield { shard: 0, userId };
    },
    listsOf: async (userId: string) => {
      listReads.push(userId);
      return lists.get(userId) ?? [];
    },
    queue: { enqueue: async (request: SyncRequest) => void queued.push(request) },
    catalog: async () => current,
  };
  return {
    deps,
    queued,
    listReads,
    publish: (version: Catalog) => {
      current = version;
    },
  };
}

const options = { maxLists: 1_000, passIntervalMs: 86_400_000 };

describe("catalog refresh", () => {
  it("queues a sync only for lists whose selection changed in the new version", async () => {
    const { deps, queued, publish } = world(5);
    publish(catalogOf(dramaChanged, "v2"));
    const report = await runCatalogRefresh(deps, options);
    expect(report).toMatchObject({ status: "complete", version: "v2", examined: 10, changed: 5, queued: 5 });
    expect(queued.map((r) => r.listId).every((id) => id.endsWith("-list-1"))).toBe(true);
    expect(queued[0]?.reason).toBe("catalog_refresh");
  });

  it("queues nothing for a version that changes nothing, and does not start a pass again the same day", async () => {
    const { deps, queued, publish } = world(3);
    publish(catalogOf(titles, "v2"));
    expect(await runCatalogRefresh(deps, options)).toMatchObject({
      status: "complete",
      examined: 6,
      queued: 0,
    });
    expect(await runCatalogRefresh(deps, options)).toMatchObject({ status: "idle", examined: 0 });
    expect(queued).toEqual([]);
  });

  it("stops at its bound and continues where it stopped, reading each user's lists once per pass", async () => {
    const { deps, queued, listReads, publish } = world(7);
    publish(catalogOf(dramaChanged, "v2"));
    const bounded = { ...options, maxLists: 4 };
    expect(await runCatalogRefresh(deps, bounded)).toMatchObject({
      status: "partial",
      examined: 4,
      queued: 2,
    });
    expect(await runCatalogRefresh(deps, bounded)).toMatchObject({ status: "partial", examined: 4 });
    expect(await runCatalogRefresh(deps, bounded)).toMatchObject({ status: "partial", examined: 4 });
    const last = await runCatalogRefresh(deps, bounded);
    expect(last).toMatchObject({
      status: "complete",
      examined: 2,
      pass: { examined: 14, changed: 7, queued: 7 },
    });
    expect(queued).toHaveLength(7);
    expect(listReads).toEqual([...new Set(listReads)]);
  });

  it("starts over against a version published in the middle of a pass", async () => {
    const { deps, queued, publish } = world(4);
    publish(catalogOf(dramaChanged, "v2"));
    await runCatalogRefresh(deps, { ...options, maxLists: 2 });
    publish(catalogOf(titles, "v3"));
    const report = await runCatalogRefresh(deps, options);
    expect(report).toMatchObject({ status: "complete", version: "v3", examined: 8 });
    expect(queued).toHaveLength(1);
  });

  it("leaves lists whose first sync has not finished to that sync", async () => {
    const { deps, queued, publish } = world(1);
    const lists = await deps.listsOf("user-000");
    for (const list of lists) delete list.selectionHash;
    publish(catalogOf(dramaChanged, "v2"));
    expect(await runCatalogRefresh(deps, options)).toMatchObject({ examined: 2, changed: 0 });
    expect(queued).toEqual([]);
  });
});
