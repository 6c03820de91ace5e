import type { CatalogTitle } from "#domain/catalog.ts";
import { emptyCounts } from "./ingestReport.ts";
import { parseJsonLine } from "./jsonLines.ts";

export type TmdbCatalogTitle = CatalogTitle & { tmdbId: number };

/**
 * Parses a whole JSON Lines catalog whose titles all carry TMDB ids (the sample catalog, test
 * fixtures) and fails on the first bad line, naming it. The ingestion instead counts and skips bad
 * rows (`ingestSources`).
 */
export function parseCatalogFeed(text: string): TmdbCatalogTitle[] {
  const titles: TmdbCatalogTitle[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const title = parseJsonLine(line, emptyCounts());
    if (!title || title.tmdbId === undefined)
      throw new Error(`Catalog line ${index + 1}: not a catalog title with a tmdbId`);
    titles.push(title as TmdbCatalogTitle);
  });
  return titles;
}
