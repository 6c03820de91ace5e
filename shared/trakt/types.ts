/** Response shapes of the Trakt endpoints we use (only the fields we read). */

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

export interface TraktListItem {
  rank: number;
  id: number;
  listed_at?: string;
  type: string;
  [media: string]: unknown;
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

export interface TraktTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  created_at: number;
}

export interface TraktDeviceCode {
  device_code: string;
  user_code: string;
  verification_url: string;
  expires_in: number;
  interval: number;
}

export interface NewTraktList {
  name: string;
  description: string;
  privacy: string;
}
