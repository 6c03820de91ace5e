import type { MediaType } from "./media.ts";

/** What fills a custom list from the catalog. Every field narrows the candidates. */
export interface CustomListFilters {
  mediaTypes: MediaType[];
  genres: string[];
  /** `any`: a title needs one of the genres; `all`: it needs every one. */
  genreMatch: "any" | "all";
  languages: string[];
  yearFrom?: number;
  yearTo?: number;
  minRating?: number;
  minVotes?: number;
}

export const defaultFilters: CustomListFilters = {
  mediaTypes: ["movie", "show"],
  genres: [],
  genreMatch: "any",
  languages: [],
};
