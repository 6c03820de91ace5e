import type { RemoteEntry } from "#domain/remoteEntry.ts";

/**
 * What the sync needs of one user's Trakt session (the Trakt client's TraktUserSession implements it):
 * the calls on the user's lists, already authorized, paced and retried. Failures are the errors of
 * traktErrors.ts; a write whose slot is too far away throws WriteDeferredError.
 */
export interface TraktSession {
  getLists(): Promise<TraktList[]>;
  getAllListItems(traktListId: number): Promise<RemoteEntry[]>;
  getSettings(): Promise<TraktSettings>;
  /** Not retried on transient errors: Trakt may have created it; the caller looks before trying again. */
  createList(list: NewTraktList): Promise<TraktList>;
  updateList(traktListId: number, changes: Partial<NewTraktList>): Promise<TraktList>;
  deleteList(traktListId: number): Promise<void>;
  addItems(traktListId: number, items: TraktItemsBody): Promise<TraktAddResult>;
  removeItems(traktListId: number, items: TraktItemsBody): Promise<TraktRemoveResult>;
  reorderItems(traktListId: number, listItemIds: number[]): Promise<TraktReorderResult>;
}

/* The shapes of the Trakt endpoints the session calls (only the fields we read). */

export interface TraktIds {
  trakt?: number;
  slug?: string;
  imdb?: string;
  tmdb?: number;
  tvdb?: number;
}

export interface TraktList {
  name: string;
  description: string | null;
  privacy: string;
  item_count: number;
  ids: { trakt: number; slug: string };
}

export interface TraktItemsBody {
  movies?: { ids: TraktIds }[];
  shows?: { ids: TraktIds }[];
  seasons?: { ids: TraktIds }[];
  episodes?: { ids: TraktIds }[];
  people?: { ids: TraktIds }[];
}

type Counts = { movies?: number; shows?: number; seasons?: number; episodes?: number; people?: number };

export interface TraktAddResult {
  added: Counts;
  existing: Counts;
  not_found: TraktItemsBody;
  list?: { updated_at?: string; item_count?: number };
}

export interface TraktRemoveResult {
  deleted: Counts;
  not_found: TraktItemsBody;
  list?: { updated_at?: string; item_count?: number };
}

export interface TraktReorderResult {
  updated: number;
  skipped_ids: number[];
  list?: { updated_at?: string; item_count?: number };
}

export interface TraktSettings {
  user: { username: string; ids: { slug: string } };
  account?: { vip?: boolean };
  limits?: {
    list?: { count?: number; item_count?: number };
    watchlist?: { item_count?: number };
  };
}

export interface NewTraktList {
  name: string;
  description: string;
  privacy: string;
}
