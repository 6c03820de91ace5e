import type { CatalogTitle } from "#domain/catalog.ts";
import { imdbGenreSlugs } from "#domain/genres.ts";
import type { MediaType } from "#domain/media.ts";
import { countSkip, type IngestCounts } from "./ingestReport.ts";

/**
 * IMDb's public datasets (https://datasets.imdbws.com): tab-separated, one header row, `\N` for null.
 * title.basics: tconst titleType primaryTitle originalTitle isAdult startYear endYear runtimeMinutes genres
 * title.ratings: tconst averageRating numVotes
 */
export const imdbNull = "\\N";

/** IMDb title types we keep, and what they become; every other type is skipped (counted by type). */
export const imdbTitleTypes: Readonly<Record<string, MediaType>> = {
  movie: "movie",
  tvMovie: "movie",
  tvSeries: "show",
  tvMiniSeries: "show",
};

export const basicsHeader = [
  "tconst",
  "titleType",
  "primaryTitle",
  "originalTitle",
  "isAdult",
  "startYear",
  "endYear",
  "runtimeMinutes",
  "genres",
] as const;
export const ratingsHeader = ["tconst", "averageRating", "numVotes"] as const;

const tconstPattern = /^tt\d{7,10}$/;

/**
 * One data row of title.basics as a catalog title (not yet rated), or undefined when it is skipped;
 * skips and unknown genres are counted in `counts`. Never throws.
 */
export function parseBasicsRow(line: string, counts: IngestCounts): CatalogTitle | undefined {
  const cells = line.split("\t");
  if (cells.length !== basicsHeader.length) return skip(counts, "malformed row");
  const [tconst, titleType, primaryTitle, , , startYear, , , genres] = cells as [string, ...string[]];
  if (!tconstPattern.test(tconst)) return skip(counts, "malformed row");
  const mediaType = imdbTitleTypes[titleType!];
  if (!mediaType) return skip(counts, `titleType ${titleType}`);
  const title = primaryTitle === imdbNull ? "" : primaryTitle!.trim();
  if (title === "") return skip(counts, "no title");
  const year = startYear === imdbNull ? undefined : Number(startYear);
  if (year !== undefined && !(Number.isInteger(year) && year >= 1800 && year <= 2200))
    return skip(counts, "malformed row");
  const slugs = new Set<string>();
  if (genres !== imdbNull && genres !== "") {
    for (const name of genres!.split(",")) {
      const slug = imdbGenreSlugs[name];
      if (slug) slugs.add(slug);
      else counts.unknownGenres[name] = (counts.unknownGenres[name] ?? 0) + 1;
    }
  }
  return {
    mediaType,
    imdbId: tconst,
    title,
    ...(year !== undefined ? { year } : {}),
    genres: [...slugs].sort(),
    votes: 0,
  };
}

export interface ImdbRating {
  imdbId: string;
  rating: number;
  votes: number;
}

/** One data row of title.ratings, or undefined (counted as malformed) when it does not parse. */
export function parseRatingsRow(line: string, counts: IngestCounts): ImdbRating | undefined {
  const cells = line.split("\t");
  if (cells.length !== ratingsHeader.length) return skip(counts, "malformed row");
  const [imdbId, rating, votes] = cells as [string, string, string];
  const ratingValue = Number(rating);
  const votesValue = Number(votes);
  if (
    !tconstPattern.test(imdbId) ||
    rating === "" ||
    !(ratingValue >= 0 && ratingValue <= 10) ||
    !Number.isInteger(votesValue) ||
    votesValue < 0
  )
    return skip(counts, "malformed row");
  return { imdbId, rating: ratingValue, votes: votesValue };
}

/** True when a header row is the one we expect (rows are read by position). */
export function isHeader(line: string, header: readonly string[]): boolean {
  return line === header.join("\t");
}

function skip(counts: IngestCounts, reason: string): undefined {
  countSkip(counts, reason);
  return undefined;
}
