import { randomUUID } from "node:crypto";
import type { CatalogTitle } from "#domain/catalog.ts";
import { type CustomListFilters, defaultFilters } from "#domain/filters.ts";
import type { ListItem } from "#domain/item.ts";
import { itemLimitBounds, type ListRecord, type ListType, type Privacy } from "#domain/list.ts";
import { type MediaType, titleKey } from "#domain/media.ts";

export interface NewListInput {
  title: string;
  listType: ListType;
  filters?: Partial<CustomListFilters>;
  itemLimit?: number;
  privacy?: Privacy;
}

export interface ItemPick {
  mediaType: MediaType;
  tmdbId?: number;
  title?: string;
  year?: number;
  imdbId?: string;
}

/** A new list record in its first state: nothing on Trakt yet. */
export function newListRecord(userId: string, input: NewListInput, now: Date, itemCount = 0): ListRecord {
  const at = now.toISOString();
  return {
    listId: randomUUID(),
    userId,
    title: input.title,
    listType: input.listType,
    ...(input.listType === "custom" ? { filters: completeFilters(input.filters) } : {}),
    itemLimit:
      input.itemLimit ?? (input.listType === "custom" ? itemLimitBounds.default : itemLimitBounds.max),
    privacy: input.privacy ?? "private",
    syncState: "pending",
    localItemCount: itemCount,
    lastAdded: 0,
    lastRemoved: 0,
    notFound: [],
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The order of imported picks: by `rank` ascending; picks without a rank come after every ranked one,
 * in the order the file gives them (equal ranks keep file order too).
 */
export function importOrder<T extends { rank?: number | undefined }>(picks: readonly T[]): T[] {
  const rankOf = (pick: T) => pick.rank ?? Number.POSITIVE_INFINITY;
  return [...picks].sort((a, b) => (rankOf(a) === rankOf(b) ? 0 : rankOf(a) < rankOf(b) ? -1 : 1));
}

export function completeFilters(filters: Partial<CustomListFilters> | undefined): CustomListFilters {
  return { ...defaultFilters, ...filters };
}

/**
 * Hand-picked titles as list items, ranked after `startRank`, in the order given. Repeats of a
 * title (in the picks or already on the list) are dropped. Titles the catalog knows get its title,
 * year and IMDb id; others keep what the caller sent.
 */
export function picksToItems(
  picks: readonly ItemPick[],
  catalog: ReadonlyMap<string, CatalogTitle>,
  existing: ReadonlySet<string> = new Set(),
  startRank = 0,
): ListItem[] {
  const seen = new Set(existing);
  const items: ListItem[] = [];
  for (const pick of picks) {
    const key = titleKey(pick);
    if (seen.has(key)) continue;
    seen.add(key);
    const known = catalog.get(key);
    // An item given by IMDb id alone stays identified by it (no TMDB id is added), even when the catalog knows one.
    const imdbId = known?.imdbId ?? pick.imdbId;
    const year = known?.year ?? pick.year;
    const fallbackTitle =
      pick.tmdbId !== undefined ? `TMDB ${pick.mediaType} ${pick.tmdbId}` : `IMDb ${pick.imdbId}`;
    items.push({
      mediaType: pick.mediaType,
      ...(pick.tmdbId !== undefined ? { tmdbId: pick.tmdbId } : {}),
      ...(imdbId ? { imdbId } : {}),
      rank: startRank + items.length + 1,
      title: known?.title ?? pick.title ?? fallbackTitle,
      ...(year !== undefined ? { year } : {}),
    });
  }
  return items;
}
