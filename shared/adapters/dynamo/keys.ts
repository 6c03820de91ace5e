import { type CatalogTitle, catalogSortKey } from "#domain/catalog.ts";
import type { MediaType, TitleIds } from "#domain/media.ts";

/**
 * The key design (see README "Data model"); list items live in their own table (no stream), the rest in the main one:
 * - user profile      pk USER#<userId>   sk PROFILE
 * - list              pk USER#<userId>   sk LIST#<listId>          (+ repairShard/repairDueAt while it needs attention)
 * - list item         pk LIST#<listId>   sk ITEM#<mediaType>#<tmdbId or imdbId>
 * - catalog title     pk CATALOG         sk <catalogSortKey>       (best first, for custom lists)
 * - catalog look-up   pk TITLE#<mediaType>#<tmdbId>  sk TITLE    (point reads, for manual items)
 * - write pacer       pk PACER#<key>     sk WRITES
 * - Trakt account     pk TRAKT#<slug>    sk LINK                  (the one user it is linked to)
 * - deleted list      pk USER#<userId>   sk DELETED#<listId>       (tombstone: this install deleted it)
 * - install           pk INSTALL         sk ID                     (the install id in our markers)
 * - items moved       pk INSTALL         sk ITEMS_TABLE            (local stack: items are in the items table)
 * - user directory    pk USERS#<shard>   sk <userId>              (operator views: every user with lists)
 * - API rate window   pk RATE#<userId>   sk W#<window start ms>   (request counter, expires by TTL)
 */
export const entity = {
  user: "USER",
  list: "LIST",
  item: "ITEM",
  catalog: "CATALOG",
  pacer: "PACER",
} as const;

export const userKey = (userId: string) => ({ pk: `USER#${userId}`, sk: "PROFILE" });
export const listKey = (userId: string, listId: string) => ({ pk: `USER#${userId}`, sk: `LIST#${listId}` });
export const listSkPrefix = "LIST#";
export const userPk = (userId: string) => `USER#${userId}`;
export const itemPk = (listId: string) => `LIST#${listId}`;
/** A list item's key: `ITEM#<mediaType>#<tmdbId>`, or `ITEM#<mediaType>#<imdbId>` for a title with no TMDB id. */
export const itemKey = (listId: string, title: TitleIds) => ({
  pk: itemPk(listId),
  sk: `ITEM#${title.mediaType}#${title.tmdbId ?? title.imdbId}`,
});
export const catalogPk = "CATALOG";
export const catalogKey = (title: CatalogTitle) => ({ pk: catalogPk, sk: catalogSortKey(title) });
export const titleLookupKey = (mediaType: MediaType, tmdbId: number) => ({
  pk: `TITLE#${mediaType}#${tmdbId}`,
  sk: "TITLE",
});
export const rateWindowKey = (userId: string, windowStart: number) => ({
  pk: `RATE#${userId}`,
  sk: `W#${windowStart}`,
});
export const pacerKey = (key: string) => ({ pk: `PACER#${key}`, sk: "WRITES" });
/** Proof that this install deleted one of the user's lists: only such a list's Trakt list is ever swept. */
export const tombstoneKey = (userId: string, listId: string) => ({
  pk: `USER#${userId}`,
  sk: `DELETED#${listId}`,
});
export const tombstoneSkPrefix = "DELETED#";
/** This install's id (named in our Trakt list markers), made once per table. */
export const installKey = { pk: "INSTALL", sk: "ID" } as const;
/** Written by the local stack once the list items are in their own table, so later starts skip the move. */
export const itemsMovedKey = { pk: "INSTALL", sk: "ITEMS_TABLE" } as const;

/** Which user a Trakt account is linked to: one user per Trakt account. */
export const traktAccountKey = (traktSlug: string) => ({ pk: `TRAKT#${traktSlug}`, sk: "LINK" });

/** The repair index is spread over a few partitions so no single one gets hot. */
const repairShardCount = 8;

export function repairShardOf(listId: string): string {
  let hash = 0;
  for (const char of listId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `R${hash % repairShardCount}`;
}

export const repairShards = Array.from({ length: repairShardCount }, (_, i) => `R${i}`);

/** The user directory is spread like the repair index. */
export const userDirectoryKey = (userId: string) => ({ pk: `USERS#${repairShardOf(userId)}`, sk: userId });
export const userDirectoryPks = repairShards.map((shard) => `USERS#${shard}`);
