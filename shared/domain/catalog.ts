import type { CustomListFilters } from "./filters.ts";
import type { ListItem } from "./item.ts";
import type { MediaType } from "./media.ts";

/**
 * A candidate title of the catalog. It has a TMDB id (our JSON Lines feed), an IMDb id (IMDb's
 * datasets) or both. A title without a rating (none on IMDb yet) has no `rating` and 0 votes.
 */
export interface CatalogTitle {
  mediaType: MediaType;
  tmdbId?: number;
  imdbId?: string;
  title: string;
  /** Absent when the source does not know it. */
  year?: number;
  genres: string[];
  language?: string;
  rating?: number;
  votes: number;
}

/** Votes at which a title's own rating and the catalog mean weigh the same. */
const priorVotes = 1_000;
/** The mean rating a title with few votes is pulled towards. */
const priorRating = 6.5;

/**
 * Ranking score: a Bayesian weighted rating, so a 9.0 from 12 votes does not beat
 * an 8.4 from 200,000. Between 0 and 10. A title without a rating scores -1: it ranks after every
 * rated title.
 */
export function rankScore(title: Pick<CatalogTitle, "rating" | "votes">): number {
  if (title.rating === undefined) return -1;
  const votes = Math.max(0, title.votes);
  return (votes / (votes + priorVotes)) * title.rating + (priorVotes / (votes + priorVotes)) * priorRating;
}

/** The IMDb id's number (`tt0111161` → 111161), 0 without one. */
export function imdbNumber(imdbId: string | undefined): number {
  return imdbId ? Number(imdbId.slice(2)) : 0;
}

/**
 * A string that sorts titles best first: score descending, then votes descending, then media type,
 * TMDB id (titles without one after) and IMDb id, so the order is total and stable. The catalog
 * snapshot is stored in exactly this order.
 */
export function catalogSortKey(title: CatalogTitle): string {
  const invertedScore = (11 - rankScore(title)).toFixed(6).padStart(9, "0");
  const invertedVotes = String(999_999_999 - Math.min(Math.max(0, title.votes), 999_999_999)).padStart(
    9,
    "0",
  );
  const tmdb = String(title.tmdbId ?? 9_999_999_999).padStart(10, "0");
  const imdb = String(imdbNumber(title.imdbId)).padStart(11, "0");
  return `${invertedScore}#${invertedVotes}#${title.mediaType}#${tmdb}#${imdb}`;
}

/**
 * The parts of `catalogSortKey` as numbers, each ascending: comparing them in order gives exactly
 * the key's order without building strings (the snapshot sorts 1.4 M titles this way).
 */
export function sortKeyParts(title: CatalogTitle): [number, number, number, number, number] {
  return [
    Number((11 - rankScore(title)).toFixed(6)),
    -Math.min(Math.max(0, title.votes), 999_999_999),
    title.mediaType === "movie" ? 0 : 1,
    title.tmdbId ?? 9_999_999_999,
    imdbNumber(title.imdbId),
  ];
}

export function compareCandidates(a: CatalogTitle, b: CatalogTitle): number {
  const ka = catalogSortKey(a);
  const kb = catalogSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function matchesFilters(title: CatalogTitle, filters: CustomListFilters): boolean {
  if (!filters.mediaTypes.includes(title.mediaType)) return false;
  if (filters.yearFrom !== undefined && (title.year ?? 0) < filters.yearFrom) return false;
  if (filters.yearTo !== undefined && (title.year === undefined || title.year > filters.yearTo)) return false;
  if (filters.minRating !== undefined && (title.rating ?? -1) < filters.minRating) return false;
  if (filters.minVotes !== undefined && title.votes < filters.minVotes) return false;
  if (filters.languages.length > 0 && !filters.languages.includes(title.language ?? "")) return false;
  if (filters.genres.length > 0) {
    const has = (genre: string) => title.genres.includes(genre);
    const ok = filters.genreMatch === "all" ? filters.genres.every(has) : filters.genres.some(has);
    if (!ok) return false;
  }
  return true;
}

/**
 * Picks the top `limit` titles that pass the filters from candidates already in best-first
 * order, and ranks them 1..n. Stops reading as soon as the list is full, so a sorted source
 * is read no further than needed.
 */
export async function selectCandidates(
  bestFirst: AsyncIterable<CatalogTitle> | Iterable<CatalogTitle>,
  filters: CustomListFilters,
  limit: number,
): Promise<ListItem[]> {
  const picked: ListItem[] = [];
  if (limit <= 0) return picked;
  for await (const title of bestFirst) {
    if (!matchesFilters(title, filters)) continue;
    picked.push(toListItem(title, picked.length + 1));
    if (picked.length >= limit) break;
  }
  return picked;
}

export function toListItem(title: CatalogTitle, rank: number): ListItem {
  return {
    mediaType: title.mediaType,
    ...(title.tmdbId !== undefined ? { tmdbId: title.tmdbId } : {}),
    ...(title.imdbId ? { imdbId: title.imdbId } : {}),
    rank,
    title: title.title,
    ...(title.year !== undefined ? { year: title.year } : {}),
  };
}
