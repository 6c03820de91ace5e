import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { seededRandom } from "#domain/seededRandom.ts";
import { basicsHeader, ratingsHeader } from "./imdbTsv.ts";

/**
 * Deterministic catalog files with realistic shapes, for tests and benchmarks: power-law vote
 * counts, IMDb's genre mix, years 1900–2026 (more recent ones more often), about 15% shows, about
 * a fifth of titles unrated, and (IMDb format) rows of other title types that the ingestion skips.
 * Ids follow the Trakt sandbox's universe: movie n is `tt` + n padded to 7 digits, show n is
 * `tt` + (100,000,000 + n); TMDB ids (JSON Lines) are n.
 */
export interface GenerateOptions {
  titles: number;
  format: "imdb" | "jsonl";
  outDir: string;
  seed?: number;
  /** A later version of the same catalog: this share of rated titles get new ratings and votes. */
  changeShare?: number;
  onProgress?: (written: number) => void;
}

/** IMDb genre names with their rough share of titles (a title has 1–3). */
const imdbGenreMix: readonly [string, number][] = [
  ["Drama", 30],
  ["Comedy", 17],
  ["Documentary", 12],
  ["Action", 7],
  ["Romance", 7],
  ["Thriller", 6],
  ["Crime", 6],
  ["Horror", 5],
  ["Adventure", 4],
  ["Family", 3],
  ["Mystery", 3],
  ["Biography", 3],
  ["Fantasy", 2],
  ["Sci-Fi", 2],
  ["Animation", 2],
  ["History", 2],
  ["Music", 2],
  ["War", 1],
  ["Musical", 1],
  ["Western", 1],
  ["Sport", 1],
  ["Reality-TV", 1],
  ["Film-Noir", 0.3],
  ["News", 0.5],
  ["Talk-Show", 0.5],
  ["Game-Show", 0.3],
];
const slugOf: Record<string, string> = {
  "Sci-Fi": "science-fiction",
  "Reality-TV": "reality",
  "Film-Noir": "film-noir",
  "Talk-Show": "talk-show",
  "Game-Show": "game-show",
};
const words = (
  "Silent Broken Last Hidden Golden Crimson Distant Burning Frozen Electric Quiet Wild Forgotten Midnight " +
  "Northern Hollow Bright Restless Iron Paper Harbor Empire Garden Signal River Kingdom Station Witness " +
  "Orchard Machine Shadow Frontier Letter Island Summer Protocol Voyage Tide Crown Archive Amélie Café " +
  "Señor Über Noël Night Day Star Wars Love City Road Home Game Ghost Blood Stone Fire Sea Moon Sun"
).split(" ");
const languages = ["en", "en", "en", "en", "en", "fr", "es", "de", "ja", "ko", "it", "hi", "sv", "pt", "zh"];
const otherTypes = ["tvEpisode", "short", "video", "videoGame", "tvSpecial", "tvShort"];

export interface GeneratedTitle {
  n: number;
  type: string;
  mediaType: "movie" | "show" | undefined;
  imdbId: string;
  title: string;
  year: number | undefined;
  genres: string[];
  language: string;
  rating: number | undefined;
  votes: number;
}

/** The i-th generated title (0-based): the same for every run with the same seed and change share. */
function* titles(options: GenerateOptions): Generator<GeneratedTitle> {
  const random = seededRandom(options.seed ?? 20_261_125);
  const change = seededRandom((options.seed ?? 20_261_125) + 1);
  const totalWeight = imdbGenreMix.reduce((sum, [, w]) => sum + w, 0);
  const pickGenre = () => {
    let x = random() * totalWeight;
    for (const [name, w] of imdbGenreMix) {
      x -= w;
      if (x <= 0) return name;
    }
    return "Drama";
  };
  let kept = 0;
  for (let n = 1; kept < options.titles; n++) {
    const other = options.format === "imdb" && random() < 0.05;
    const show = random() < 0.15;
    const mediaType = other ? undefined : show ? "show" : "movie";
    const type = other
      ? otherTypes[Math.floor(random() * otherTypes.length)]!
      : show
        ? random() < 0.8
          ? "tvSeries"
          : "tvMiniSeries"
        : random() < 0.85
          ? "movie"
          : "tvMovie";
    const wordCount = 1 + Math.floor(random() * 4);
    const title = Array.from({ length: wordCount }, () => words[Math.floor(random() * words.length)]!).join(
      " ",
    );
    const year = random() < 0.01 ? undefined : 1900 + Math.floor(random() ** 0.45 * 127);
    const genreCount = 1 + Math.floor(random() * 3);
    const genres = [...new Set(Array.from({ length: genreCount }, pickGenre))].sort();
    const rated = random() < 0.8;
    // Power law: most titles have a handful of votes, a few have millions.
    let votes = rated ? Math.min(3_000_000, Math.floor(5 / random() ** 1.15)) : 0;
    let rating = rated
      ? Math.round(Math.min(10, Math.max(1, 6.3 + (random() + random() + random() - 1.5) * 2.4)) * 10) / 10
      : undefined;
    const language = languages[Math.floor(random() * languages.length)]!;
    if (rated && options.changeShare && change() < options.changeShare) {
      rating = Math.round(Math.min(10, Math.max(1, rating! + (change() - 0.5) * 2)) * 10) / 10;
      votes = Math.floor(votes * (1 + change()));
    }
    if (mediaType) kept++;
    yield {
      n,
      type,
      mediaType,
      imdbId: show && !other ? `tt${100_000_000 + n}` : `tt${String(n).padStart(7, "0")}`,
      title,
      year,
      genres,
      language,
      rating,
      votes,
    };
  }
}

/** Writes the files and returns their paths: title.basics + title.ratings (imdb) or catalog.jsonl.gz. */
export async function generateCatalogFiles(options: GenerateOptions): Promise<string[]> {
  await mkdir(options.outDir, { recursive: true });
  if (options.format === "jsonl") {
    const path = join(options.outDir, "catalog.jsonl.gz");
    await writeGzipLines(path, jsonLines(options));
    return [path];
  }
  const basics = join(options.outDir, "title.basics.tsv.gz");
  const ratings = join(options.outDir, "title.ratings.tsv.gz");
  await writeGzipLines(basics, basicsLines(options));
  await writeGzipLines(ratings, ratingsLines(options));
  return [basics, ratings];
}

function* basicsLines(options: GenerateOptions): Generator<string> {
  yield basicsHeader.join("\t");
  let written = 0;
  for (const t of titles(options)) {
    const cells = [
      t.imdbId,
      t.type,
      t.title,
      t.title,
      "0",
      t.year ?? "\\N",
      "\\N",
      "\\N",
      t.genres.join(",") || "\\N",
    ];
    yield cells.join("\t");
    if (++written % 100_000 === 0) options.onProgress?.(written);
  }
}

function* ratingsLines(options: GenerateOptions): Generator<string> {
  yield ratingsHeader.join("\t");
  for (const t of titles(options)) {
    if (t.rating !== undefined) yield `${t.imdbId}\t${t.rating.toFixed(1)}\t${t.votes}`;
  }
}

function* jsonLines(options: GenerateOptions): Generator<string> {
  let written = 0;
  for (const t of titles(options)) {
    if (!t.mediaType) continue;
    yield JSON.stringify({
      mediaType: t.mediaType,
      tmdbId: t.n,
      imdbId: t.imdbId,
      title: t.title,
      ...(t.year !== undefined ? { year: t.year } : {}),
      genres: t.genres.map((g) => slugOf[g] ?? g.toLowerCase()),
      language: t.language,
      ...(t.rating !== undefined ? { rating: t.rating } : {}),
      votes: t.votes,
    });
    if (++written % 100_000 === 0) options.onProgress?.(written);
  }
}

async function writeGzipLines(path: string, lines: Iterable<string>): Promise<void> {
  async function* chunks() {
    let batch: string[] = [];
    for (const line of lines) {
      batch.push(line);
      if (batch.length >= 10_000) {
        yield `${batch.join("\n")}\n`;
        batch = [];
      }
    }
    if (batch.length > 0) yield `${batch.join("\n")}\n`;
  }
  await pipeline(chunks, createGzip({ level: 6 }), createWriteStream(path));
}
