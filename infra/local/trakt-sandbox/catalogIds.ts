/**
 * The sandbox's title universe. Every tmdb id from 1 to 89,999,999 exists as a movie and as a show, with ids derived
 * deterministically from it; every other id form maps back to the tmdb id. Ids that do not parse, tmdb ids ≥ 90,000,000
 * and ids registered as unknown are not found.
 *
 * | id    | movie                         | show                          |
 * |-------|-------------------------------|-------------------------------|
 * | trakt | tmdb + 1,000,000              | tmdb + 5,000,000              |
 * | imdb  | "tt" + tmdb zero-padded to 7  | "tt" + (tmdb + 100,000,000)   |
 * | slug  | "movie-<tmdb>"                | "show-<tmdb>"                 |
 * | tvdb  | –                             | tmdb + 300,000                |
 */

export type TitleType = "movie" | "show";

export interface Title {
  type: TitleType;
  title: string;
  year: number;
  tmdb: number;
  trakt: number;
  slug: string;
  imdb: string;
  tvdb?: number;
}

export const MAX_TMDB_ID = 90_000_000;
const TRAKT_OFFSET: Record<TitleType, number> = { movie: 1_000_000, show: 5_000_000 };
const SHOW_IMDB_OFFSET = 100_000_000;
const SHOW_TVDB_OFFSET = 300_000;

export function isValidTmdbId(tmdb: number): boolean {
  return Number.isSafeInteger(tmdb) && tmdb >= 1 && tmdb < MAX_TMDB_ID;
}

export function titleFor(type: TitleType, tmdb: number): Title {
  const base = {
    type,
    title: `${type === "movie" ? "Movie" : "Show"} ${tmdb}`,
    year: 1950 + (tmdb % 75),
    tmdb,
    trakt: tmdb + TRAKT_OFFSET[type],
    slug: `${type}-${tmdb}`,
  };
  return type === "movie"
    ? { ...base, imdb: `tt${String(tmdb).padStart(7, "0")}` }
    : { ...base, imdb: `tt${tmdb + SHOW_IMDB_OFFSET}`, tvdb: tmdb + SHOW_TVDB_OFFSET };
}

type IdParser = (type: TitleType, value: unknown) => number | undefined;

const ID_PARSERS: Record<string, IdParser> = {
  trakt: (type, value) => offsetBack(parseInteger(value), TRAKT_OFFSET[type]),
  slug: (type, value) => parseCanonical(type, value, (title) => title.slug, /^[a-z]+-(\d+)$/),
  imdb: (type, value) => parseCanonical(type, value, (title) => title.imdb, /^tt(\d+)$/, imdbOffset(type)),
  tmdb: (_type, value) => parseInteger(value),
  tvdb: (type, value) => (type === "show" ? offsetBack(parseInteger(value), SHOW_TVDB_OFFSET) : undefined),
};

/** The order in which ids are tried, like Trakt: the first id that names a known title wins. */
const ID_ORDER = ["trakt", "slug", "imdb", "tmdb", "tvdb"] as const;

/**
 * Resolves an `ids` object to a title of the universe, or undefined when no id names a known title.
 * `isUnknown` reports tmdb ids registered as unknown through the control API.
 */
export function resolveTitle(
  type: TitleType,
  ids: Record<string, unknown>,
  isUnknown: (type: TitleType, tmdb: number) => boolean,
): Title | undefined {
  for (const key of ID_ORDER) {
    if (ids[key] === undefined || ids[key] === null) continue;
    const tmdb = ID_PARSERS[key]?.(type, ids[key]);
    if (tmdb !== undefined && isValidTmdbId(tmdb) && !isUnknown(type, tmdb)) return titleFor(type, tmdb);
  }
  return undefined;
}

function parseInteger(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === "string" && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function offsetBack(value: number | undefined, offset: number): number | undefined {
  return value === undefined ? undefined : value - offset;
}

function imdbOffset(type: TitleType): number {
  return type === "show" ? SHOW_IMDB_OFFSET : 0;
}

/** Parses the number out of a string id and accepts it only when it round-trips to exactly the same string. */
function parseCanonical(
  type: TitleType,
  value: unknown,
  render: (title: Title) => string,
  pattern: RegExp,
  offset = 0,
): number | undefined {
  if (typeof value !== "string") return undefined;
  const digits = pattern.exec(value)?.[1];
  if (digits === undefined || digits.length > 15) return undefined;
  const tmdb = Number(digits) - offset;
  return isValidTmdbId(tmdb) && render(titleFor(type, tmdb)) === value ? tmdb : undefined;
}
