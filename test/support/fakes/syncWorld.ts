import type { ListItem } from "#domain/item.ts";
import type { ListRecord } from "#domain/list.ts";
import type { SyncListDeps } from "#sync/syncList.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import { listRecord } from "#test/support/builders.ts";
import { MemoryCatalogSource } from "#test/support/memoryCatalog.ts";
import { MemoryItemStore, MemoryListStore, MemorySyncQueue } from "./memoryLists.ts";
import { MemoryTraktSession } from "./memoryTraktSession.ts";

/** A manual list's items: movies with TMDB ids 1..count in rank order. */
export function manualItems(count: number): ListItem[] {
  return Array.from({ length: count }, (_, i) => ({
    mediaType: "movie" as const,
    tmdbId: i + 1,
    rank: i + 1,
    title: `Movie ${i + 1}`,
  }));
}

/** A new manual list as the API stores it: pending, no Trakt list yet. */
export function newList(overrides: Partial<ListRecord> = {}): ListRecord {
  return listRecord({ syncState: "pending", ...overrides });
}

/**
 * The sync's ports in memory, one user's Trakt behind them, and one stored list with `items`. Time moves
 * only by `tick`, so each request made after a tick comes after the last sync started.
 */
export function syncWorld(items: readonly ListItem[] = manualItems(3), list: Partial<ListRecord> = {}) {
  const lists = new MemoryListStore();
  const itemStore = new MemoryItemStore();
  const session = new MemoryTraktSession();
  const queue = new MemorySyncQueue();
  const catalog = new MemoryCatalogSource();
  const record = lists.put(newList({ localItemCount: items.length, ...list }));
  itemStore.items.set(record.listId, [...items]);
  const deps: SyncListDeps = {
    lists,
    items: itemStore,
    catalog,
    session,
    writeBatchSize: 100,
    now: () => new Date(lists.now),
  };
  const tick = (ms = 1_000) => {
    lists.now += ms;
  };
  /** A sync request made now (then time moves on, so the sync starts after it). */
  const request = (options: { forceFull?: boolean } = {}) => {
    const made = newSyncRequest(record.userId, record.listId, "manual", {
      ...options,
      now: new Date(lists.now),
    });
    tick();
    return made;
  };
  const stored = async () => (await lists.get(record.userId, record.listId))!;
  return { lists, items: itemStore, session, queue, catalog, deps, list: record, tick, request, stored };
}
