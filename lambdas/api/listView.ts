import type { ListItem } from "#domain/item.ts";
import { type ListRecord, notFoundCountOf } from "#domain/list.ts";
import { titleKey } from "#domain/media.ts";

/** A list as the API shows it: settings, its Trakt twin, and where the sync stands. */
export function listView(list: ListRecord) {
  return {
    id: list.listId,
    title: list.title,
    listType: list.listType,
    privacy: list.privacy,
    itemLimit: list.itemLimit,
    ...(list.filters ? { filters: list.filters } : {}),
    catalogVersion: list.catalogVersion ?? null,
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
    trakt: {
      listId: list.traktListId ?? null,
      slug: list.traktListSlug ?? null,
      recreatedAt: list.traktListRecreatedAt ?? null,
    },
    sync: {
      state: list.syncState,
      localItemCount: list.localItemCount,
      traktItemCount: list.traktItemCount ?? null,
      lastAdded: list.lastAdded,
      lastRemoved: list.lastRemoved,
      notFoundCount: notFoundCountOf(list),
      notFound: list.notFound,
      lastError: list.lastError ?? null,
      limit: list.limit ?? null,
      syncRequestedAt: list.syncRequestedAt ?? null,
      lastSyncStartedAt: list.lastSyncStartedAt ?? null,
      lastSyncedAt: list.lastSyncedAt ?? null,
    },
  };
}

/** A list's items in rank order, each saying whether Trakt could match it (older records: the list's own list). */
export function itemsView(list: ListRecord, items: readonly ListItem[]) {
  const notFound = new Set(list.notFound.map(titleKey));
  for (const item of items) if (item.notFoundOnTrakt) notFound.add(titleKey(item));
  return items.map((item, index) => ({
    rank: index + 1,
    mediaType: item.mediaType,
    tmdbId: item.tmdbId ?? null,
    imdbId: item.imdbId ?? null,
    title: item.title,
    year: item.year ?? null,
    notFoundOnTrakt: notFound.has(titleKey(item)),
  }));
}
