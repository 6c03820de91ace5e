import type { Privacy } from "#domain/list.ts";
import type { Title } from "./catalogIds.ts";
import type { UserLimits } from "./types.ts";

export const SORT_BY_VALUES = [
  "rank",
  "added",
  "title",
  "released",
  "runtime",
  "popularity",
  "random",
  "percentage",
  "imdb_rating",
  "tmdb_rating",
  "rt_tomatometer",
  "rt_audience",
  "metascore",
  "votes",
  "imdb_votes",
  "tmdb_votes",
  "my_rating",
  "watched",
  "collected",
] as const;
export type SortBy = (typeof SORT_BY_VALUES)[number];

export const SORT_HOW_VALUES = ["asc", "desc"] as const;
export type SortHow = (typeof SORT_HOW_VALUES)[number];

export interface ListSettings {
  name: string;
  description: string | null;
  /** Trakt's privacies, which our domain uses as they are (`privacies`). */
  privacy: Privacy;
  displayNumbers: boolean;
  allowComments: boolean;
  sortBy: SortBy;
  sortHow: SortHow;
}

/** One entry of a list. Its rank is its position in `PersonalList.items` (1-based), so ranks are always 1..n. */
export interface ListItem {
  id: number;
  listedAt: number;
  title: Title;
}

export interface PersonalList extends ListSettings {
  traktId: number;
  slug: string;
  createdAt: number;
  updatedAt: number;
  items: ListItem[];
}

export interface SandboxUser {
  slug: string;
  name: string;
  vip: boolean;
  limits: UserLimits;
  joinedAt: number;
  /** In creation order. */
  lists: PersonalList[];
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
