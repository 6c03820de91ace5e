import type { CatalogTitle } from "#domain/catalog.ts";
import { type CustomListFilters, defaultFilters } from "#domain/filters.ts";
import type { ListItem } from "#domain/item.ts";
import type { ListRecord } from "#domain/list.ts";
import type { RemoteEntry } from "#domain/remoteEntry.ts";
import { newListRecord } from "#lists/newList.ts";

/** A catalog title with neutral defaults; only what a test is about needs overriding. */
export function catalogTitle(overrides: Partial<CatalogTitle> & Pick<CatalogTitle, "tmdbId">): CatalogTitle {
  return {
    mediaType: "movie",
    title: `Title ${overrides.tmdbId}`,
    year: 2010,
    genres: ["drama"],
    language: "en",
    rating: 7,
    votes: 5_000,
    ...overrides,
  };
}

/** Filters that let everything through, with the given fields narrowed. */
export function filters(overrides: Partial<CustomListFilters> = {}): CustomListFilters {
  return { ...defaultFilters, mediaTypes: [...defaultFilters.mediaTypes], ...overrides };
}

/** `count` movie items with TMDB ids from `firstTmdbId`, ranked 1..count. */
export function movieItems(count: number, firstTmdbId = 1_000): ListItem[] {
  return Array.from({ length: count }, (_, i) => ({
    mediaType: "movie" as const,
    tmdbId: firstTmdbId + i,
    rank: i + 1,
    title: `Movie ${firstTmdbId + i}`,
    year: 2000,
  }));
}

export function item(overrides: Partial<ListItem> & Pick<ListItem, "tmdbId" | "rank">): ListItem {
  return { mediaType: "movie", title: `Item ${overrides.tmdbId}`, ...overrides };
}

export function entry(
  overrides: Partial<RemoteEntry> & Pick<RemoteEntry, "listItemId" | "rank">,
): RemoteEntry {
  return { type: "movie", ids: {}, ...overrides };
}

export function listRecord(overrides: Partial<ListRecord> = {}): ListRecord {
  return {
    listId: "list-1",
    userId: "user-1",
    title: "My list",
    listType: "manual",
    itemLimit: 5_000,
    privacy: "private",
    syncState: "synced",
    localItemCount: 0,
    lastAdded: 0,
    lastRemoved: 0,
    notFound: [],
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
    ...overrides,
  };
}

/** A new manual list of `userId` (a fresh id, pending its first sync), with the given fields changed. */
export function manualList(userId: string, overrides: Partial<ListRecord> = {}): ListRecord {
  return { ...newListRecord(userId, { title: "Picks", listType: "manual" }, new Date()), ...overrides };
}

/** An async iterable over `titles` that counts how many were pulled and whether it was closed. */
export function countingSource(titles: readonly CatalogTitle[]) {
  const stats = { pulled: 0, closed: false };
  async function* generate(): AsyncGenerator<CatalogTitle> {
    try {
      for (const t of titles) {
        stats.pulled++;
        yield t;
      }
    } finally {
      stats.closed = true;
    }
  }
  return { source: generate(), stats };
}
