import { byRank, type ListItem } from "./item.ts";
import { titleKey } from "./media.ts";
import type { RemoteEntry } from "./remoteEntry.ts";

export interface ChangePlan {
  /** Desired items missing on Trakt, in rank order. */
  toAdd: ListItem[];
  /** Entries on Trakt that are not desired (or duplicates of a desired one). */
  toRemove: RemoteEntry[];
  /** Desired items present on Trakt, by title key. */
  matched: Map<string, RemoteEntry>;
}

/**
 * Compares what we want on the Trakt list with what is there. A Trakt entry matches a desired item
 * by TMDB id, IMDb id or Trakt id of the same media type. Items Trakt already reported as not found
 * are not planned for adding again (they stay reported on the list), unless they turn up on Trakt.
 */
export function planChanges(
  desired: readonly ListItem[],
  remote: readonly RemoteEntry[],
  knownNotFound: ReadonlySet<string> = new Set(),
): ChangePlan {
  const lookup = indexDesired(desired);
  const matched = new Map<string, RemoteEntry>();
  const toRemove: RemoteEntry[] = [];
  for (const entry of [...remote].sort(byRank)) {
    const item = findDesired(lookup, entry);
    if (item && !matched.has(titleKey(item))) matched.set(titleKey(item), entry);
    else toRemove.push(entry);
  }
  const toAdd = [...desired]
    .sort(byRank)
    .filter((item) => !matched.has(titleKey(item)) && !knownNotFound.has(titleKey(item)));
  return { toAdd, toRemove, matched };
}

/**
 * The list-item ids in our rank order when Trakt's order of the (matched) entries differs from it;
 * `null` when the order already agrees. Entries we do not know keep their relative order at the end.
 */
export function planReorder(desired: readonly ListItem[], remote: readonly RemoteEntry[]): number[] | null {
  const lookup = indexDesired(desired);
  const remoteInOrder = [...remote].sort(byRank);
  const wanted: { rank: number; listItemId: number }[] = [];
  const unknown: number[] = [];
  const seen = new Set<string>();
  for (const entry of remoteInOrder) {
    const item = findDesired(lookup, entry);
    if (item && !seen.has(titleKey(item))) {
      seen.add(titleKey(item));
      wanted.push({ rank: item.rank, listItemId: entry.listItemId });
    } else unknown.push(entry.listItemId);
  }
  const target = [...wanted].sort(byRank).map((w) => w.listItemId);
  const current = remoteInOrder.map((e) => e.listItemId);
  const proposed = [...target, ...unknown];
  return proposed.every((id, index) => id === current[index]) ? null : proposed;
}

interface DesiredLookup {
  byTmdb: Map<string, ListItem>;
  byImdb: Map<string, ListItem>;
  byTrakt: Map<string, ListItem>;
}

function indexDesired(desired: readonly ListItem[]): DesiredLookup {
  const lookup: DesiredLookup = { byTmdb: new Map(), byImdb: new Map(), byTrakt: new Map() };
  for (const item of desired) {
    if (item.tmdbId !== undefined) lookup.byTmdb.set(`${item.mediaType}:${item.tmdbId}`, item);
    if (item.imdbId) lookup.byImdb.set(`${item.mediaType}:${item.imdbId}`, item);
    if (item.traktId !== undefined) lookup.byTrakt.set(`${item.mediaType}:${item.traktId}`, item);
  }
  return lookup;
}

function findDesired(lookup: DesiredLookup, entry: RemoteEntry): ListItem | undefined {
  const { ids, type: mediaType } = entry;
  if (mediaType !== "movie" && mediaType !== "show") return undefined;
  return (
    (ids.tmdb !== undefined ? lookup.byTmdb.get(`${mediaType}:${ids.tmdb}`) : undefined) ??
    (ids.imdb ? lookup.byImdb.get(`${mediaType}:${ids.imdb}`) : undefined) ??
    (ids.trakt !== undefined ? lookup.byTrakt.get(`${mediaType}:${ids.trakt}`) : undefined)
  );
}
