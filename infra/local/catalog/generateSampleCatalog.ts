/**
 * Writes the sample catalog (infra/local/catalog/sample-catalog.jsonl): a few thousand plausible
 * movies and shows from a fixed seed, so every run and every machine gets the same file.
 * Ids follow the Trakt sandbox's title universe; a few titles carry TMDB ids at or above
 * 90,000,000, which the sandbox (like Trakt for unknown ids) reports as not found.
 *
 *   node infra/local/catalog/generateSampleCatalog.ts [count]
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CatalogTitle } from "#domain/catalog.ts";
import { catalogGenres } from "#domain/catalogVocabulary.ts";
import { seededRandom } from "#domain/seededRandom.ts";

const genres = catalogGenres;
const languages = ["en", "en", "en", "en", "fr", "es", "de", "ja", "ko", "it", "hi", "sv", "da", "pt", "zh"];
const adjectives = [
  "Silent",
  "Broken",
  "Last",
  "Hidden",
  "Golden",
  "Crimson",
  "Distant",
  "Burning",
  "Frozen",
  "Electric",
  "Quiet",
  "Wild",
  "Forgotten",
  "Midnight",
  "Northern",
  "Hollow",
  "Bright",
  "Restless",
  "Iron",
  "Paper",
];
const nouns = [
  "Harbor",
  "Empire",
  "Garden",
  "Signal",
  "River",
  "Kingdom",
  "Station",
  "Witness",
  "Orchard",
  "Machine",
  "Shadow",
  "Frontier",
  "Letter",
  "Island",
  "Summer",
  "Protocol",
  "Voyage",
  "Tide",
  "Crown",
  "Archive",
];

export function generateSampleCatalog(count: number, seed = 20261125): CatalogTitle[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const used = new Set<string>();
  const titles: CatalogTitle[] = [];
  while (titles.length < count) {
    const mediaType = random() < 0.68 ? "movie" : "show";
    const unmatchable = random() < 0.01;
    const tmdbId = unmatchable
      ? 90_000_000 + Math.floor(random() * 9_000_000)
      : 2 + Math.floor(random() * 1_400_000);
    const key = `${mediaType}:${tmdbId}`;
    if (used.has(key)) continue;
    used.add(key);
    const genreCount = 1 + Math.floor(random() * 3);
    const titleGenres = [...new Set(Array.from({ length: genreCount }, () => pick(genres)))].sort();
    const votes = Math.round(Math.exp(3 + random() * 9.5));
    const rating =
      Math.round(Math.min(9.4, Math.max(2.5, 6.4 + (random() + random() + random() - 1.5) * 2.2)) * 10) / 10;
    titles.push({
      mediaType,
      tmdbId,
      imdbId: mediaType === "movie" ? `tt${String(tmdbId).padStart(7, "0")}` : `tt${tmdbId + 100_000_000}`,
      title: `The ${pick(adjectives)} ${pick(nouns)}${random() < 0.2 ? ` ${2 + Math.floor(random() * 3)}` : ""}`,
      year: 1950 + Math.floor(random() ** 0.6 * 77),
      genres: titleGenres,
      language: pick(languages),
      rating,
      votes,
    });
  }
  return titles;
}

export const sampleCatalogPath = fileURLToPath(new URL("./sample-catalog.jsonl", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.argv[2] ?? 3000);
  const titles = generateSampleCatalog(count);
  writeFileSync(sampleCatalogPath, `${titles.map((title) => JSON.stringify(title)).join("\n")}\n`);
  console.log(`Wrote ${titles.length} titles to ${sampleCatalogPath}`);
}
