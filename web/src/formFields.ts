import type { ListForm } from "./logic.ts";

/** The fields of the list form an API error can name (`error.field`), so the error shows next to it. */
export const formFields = [
  "title",
  "listType",
  "privacy",
  "mediaTypes",
  "genres",
  "genreMatch",
  "languages",
  "yearFrom",
  "yearTo",
  "minRating",
  "minVotes",
  "itemLimit",
  "items",
] as const;

/** Error messages by the field they name. */
export type FormErrors = Record<string, string>;

/** Sets one field of the list form. */
export type SetField = <K extends keyof ListForm>(name: K, value: ListForm[K]) => void;
