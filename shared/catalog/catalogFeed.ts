import { z } from "zod";
import type { CatalogTitle } from "../domain/catalog.ts";
import { mediaTypes } from "../domain/media.ts";

/** One line of the bulk provider's JSON Lines feed. */
export const catalogTitleSchema = z
  .object({
    mediaType: z.enum(mediaTypes),
    tmdbId: z.int().positive(),
    imdbId: z
      .string()
      .regex(/^tt\d+$/)
      .optional(),
    title: z.string().min(1),
    year: z.int().min(1870).max(2100),
    genres: z.array(z.string().min(1)),
    language: z.string().regex(/^[a-z]{2}$/),
    rating: z.number().min(0).max(10),
    votes: z.int().min(0),
  })
  .strict() satisfies z.ZodType<CatalogTitle>;

/** Parses a JSON Lines catalog; a bad line is an error naming its line number. */
export function parseCatalogFeed(text: string): CatalogTitle[] {
  const titles: CatalogTitle[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const parsed = catalogTitleSchema.safeParse(JSON.parse(line));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Catalog line ${index + 1}: ${issue?.path.join(".")} ${issue?.message}`);
    }
    titles.push(parsed.data);
  });
  return titles;
}
