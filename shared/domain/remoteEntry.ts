/** Trakt list entry types: lists can hold more than movies and shows (added on trakt.tv by hand). */
export const remoteEntryTypes = ["movie", "show", "season", "episode", "person"] as const;
export type RemoteEntryType = (typeof remoteEntryTypes)[number];

/** One item as it stands on the Trakt list, reduced to what the diff needs. */
export interface RemoteEntry {
  /** Trakt's list-item id (what reorder takes). */
  listItemId: number;
  rank: number;
  type: RemoteEntryType;
  ids: { trakt?: number; tmdb?: number; imdb?: string };
}
