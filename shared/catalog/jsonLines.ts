import { z } from "zod";
import type { CatalogTitle } from "#domain/catalog.ts";
import { genreBit } from "#domain/genres.ts";
import { imdbIdPattern, mediaTypes } from "#domain/media.ts";
import { countSkip, type IngestCounts } from "./ingestReport.ts";

/**
 * One line of our JSON Lines catalog format: TMDB ids and languages, which IMDb's datasets lack.
 * A title needs a `tmdbId` or an `imdbId` (or both); `rating` may be absent for an unrated title.
 */
export const catalogLineSchema = z
  .object({
    mediaType: z.enum(mediaTypes),
    tmdbId: z.int().positive().max(2_147_483_647).optional(),
    imdbId: z.string().regex(imdbIdPattern).optional(),
    title: z.string().trim().min(1).max(500),
    year: z.int().min(1800).max(2200).optional(),
    genres: z.array(z.string().min(1)).default([]),
    language: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional(),
    rating: z.number().min(0).max(10).optional(),
    votes: z.int().min(0).default(0),
  })
  .strict()
  .refine((t) => t.tmdbId !== undefined || t.imdbId !== undefined, { message: "needs tmdbId or imdbId" });

/** One JSON Lines row as a catalog title, or undefined (counted) when it is not one. Never throws. */
export function parseJsonLine(line: string, counts: IngestCounts): CatalogTitle | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    countSkip(counts, "malformed row");
    return undefined;
  }
  const parsed = catalogLineSchema.safeParse(value);
  if (!parsed.success) {
    countSkip(counts, "malformed row");
    return undefined;
  }
  const { genres, ...title } = parsed.data;
  const known: string[] = [];
  for (const genre of genres) {
    if (genreBit(genre) !== undefined) known.push(genre);
    else counts.unknownGenres[genre] = (counts.unknownGenres[genre] ?? 0) + 1;
  }
  return { ...title, genres: [...new Set(known)].sort() } as CatalogTitle;
}
