import type { ListItem, NotFoundItem } from "#domain/item.ts";
import { type MediaType, traktCollectionKey } from "#domain/media.ts";
import type { RemoteEntry } from "#domain/remoteEntry.ts";
import type { TraktIds, TraktItemsBody } from "./traktSession.ts";

/**
 * The body that adds `items` to a Trakt list. Each title is sent by its TMDB id only when it has one:
 * Trakt tries the ids it gets in its own order, and a stale IMDb id in a catalog would otherwise make
 * Trakt list a different title than the one we diff against. A title with no TMDB id (from IMDb's
 * datasets) is sent by its IMDb id: `{"ids":{"imdb":"tt…"}}`.
 */
export function addBody(items: readonly ListItem[]): TraktItemsBody {
  const body: TraktItemsBody = {};
  for (const item of items) {
    const ids: TraktIds = item.tmdbId !== undefined ? { tmdb: item.tmdbId } : { imdb: item.imdbId! };
    const key = traktCollectionKey(item.mediaType);
    body[key] = [...(body[key] ?? []), { ids }];
  }
  return body;
}

const removalKeys = {
  movie: "movies",
  show: "shows",
  season: "seasons",
  episode: "episodes",
  person: "people",
} as const;

/** The body that removes Trakt entries, by the Trakt id Trakt gave them (any entry type). */
export function removeBody(entries: readonly RemoteEntry[]): TraktItemsBody {
  const body: TraktItemsBody = {};
  for (const entry of entries) {
    const key = removalKeys[entry.type];
    const ids: TraktIds = entry.ids.trakt !== undefined ? { trakt: entry.ids.trakt } : idsOf(entry);
    body[key] = [...(body[key] ?? []), { ids }];
  }
  return body;
}

function idsOf(entry: RemoteEntry): TraktIds {
  return {
    ...(entry.ids.tmdb !== undefined ? { tmdb: entry.ids.tmdb } : {}),
    ...(entry.ids.imdb ? { imdb: entry.ids.imdb } : {}),
  };
}

/** The items of `sent` that Trakt echoed back in `not_found`, matched by any id. */
export function itemsNotFound(
  sent: readonly ListItem[],
  notFound: TraktItemsBody | undefined,
): NotFoundItem[] {
  if (!notFound) return [];
  const echoed = new Set<string>();
  for (const mediaType of ["movie", "show"] as MediaType[]) {
    for (const entry of notFound[traktCollectionKey(mediaType)] ?? []) {
      if (entry.ids.tmdb !== undefined) echoed.add(`${mediaType}:tmdb:${entry.ids.tmdb}`);
      if (entry.ids.imdb) echoed.add(`${mediaType}:imdb:${entry.ids.imdb}`);
      if (entry.ids.trakt !== undefined) echoed.add(`${mediaType}:trakt:${entry.ids.trakt}`);
    }
  }
  return sent
    .filter(
      (item) =>
        (item.tmdbId !== undefined && echoed.has(`${item.mediaType}:tmdb:${item.tmdbId}`)) ||
        (item.imdbId !== undefined && echoed.has(`${item.mediaType}:imdb:${item.imdbId}`)) ||
        (item.traktId !== undefined && echoed.has(`${item.mediaType}:trakt:${item.traktId}`)),
    )
    .map(toNotFound);
}

export function toNotFound(item: ListItem): NotFoundItem {
  return {
    mediaType: item.mediaType,
    ...(item.tmdbId !== undefined ? { tmdbId: item.tmdbId } : {}),
    ...(item.imdbId ? { imdbId: item.imdbId } : {}),
    title: item.title,
    ...(item.year !== undefined ? { year: item.year } : {}),
  };
}
