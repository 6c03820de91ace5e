import type { MediaType } from "./media.ts";

/** One title of a list as we want it on Trakt, at its rank (1 = first). */
export interface ListItem {
  mediaType: MediaType;
  /** A title has a TMDB id, an IMDb id, or both (see `titleKey`). */
  tmdbId?: number;
  imdbId?: string;
  traktId?: number;
  rank: number;
  title: string;
  year?: number;
  /** Set when Trakt could not match the title at the last sync; not re-sent until a forced sync. */
  notFoundOnTrakt?: true;
}

/** A title Trakt could not match; kept on the list so the user sees it and it is not re-sent forever. */
export interface NotFoundItem {
  mediaType: MediaType;
  tmdbId?: number;
  imdbId?: string;
  title: string;
  year?: number;
}

export function byRank(a: { rank: number }, b: { rank: number }): number {
  return a.rank - b.rank;
}
