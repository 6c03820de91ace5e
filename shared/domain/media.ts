export const mediaTypes = ["movie", "show"] as const;
export type MediaType = (typeof mediaTypes)[number];

/** Trakt's plural key for a media type in item bodies (`movies`, `shows`). */
export function traktCollectionKey(mediaType: MediaType): "movies" | "shows" {
  return mediaType === "movie" ? "movies" : "shows";
}

/** The stable identity of a title inside one list: media type plus TMDB id. */
export function titleKey(title: { mediaType: MediaType; tmdbId: number }): string {
  return `${title.mediaType}:${title.tmdbId}`;
}
