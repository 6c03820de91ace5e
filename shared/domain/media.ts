export const mediaTypes = ["movie", "show"] as const;
export type MediaType = (typeof mediaTypes)[number];

/** Trakt's plural key for a media type in item bodies (`movies`, `shows`). */
export function traktCollectionKey(mediaType: MediaType): "movies" | "shows" {
  return mediaType === "movie" ? "movies" : "shows";
}

/** How a title is identified: by whichever of TMDB id and IMDb id it has (TMDB first). */
export interface TitleIds {
  mediaType: MediaType;
  tmdbId?: number;
  imdbId?: string;
}

/** IMDb ids look like `tt0111161`; that shape also tells them apart from TMDB ids in paths. */
export const imdbIdPattern = /^tt\d{7,10}$/;

/**
 * The stable identity of a title inside one list: media type plus its TMDB id, or its IMDb id when
 * it has no TMDB id (titles from IMDb's datasets).
 */
export function titleKey(title: TitleIds): string {
  return `${title.mediaType}:${title.tmdbId ?? title.imdbId}`;
}
