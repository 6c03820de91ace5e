import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { CatalogTitle } from "#domain/catalog.ts";
import { titleKey } from "#domain/media.ts";
import { basicsHeader, isHeader, parseBasicsRow, parseRatingsRow, ratingsHeader } from "./imdbTsv.ts";
import { countSkip, emptyCounts, type IngestCounts } from "./ingestReport.ts";
import { parseJsonLine } from "./jsonLines.ts";
import { acceptedNames, detectSource, type SourceFile } from "./sourceFormat.ts";

/** A source file to ingest: its name (which tells its format) and a way to read it. */
export interface SourceInput {
  name: string;
  open(): Promise<Readable>;
}

export interface IngestResult {
  titles: CatalogTitle[];
  counts: IngestCounts;
  sources: string[];
}

export class SourceSetError extends Error {}

/**
 * Reads one set of source files into catalog titles. IMDb titles come from title.basics and get
 * their rating and votes from title.ratings; our JSON Lines files are read as they are. A title in
 * several files (same media type and id) is kept once, the first one read (JSON Lines first, since
 * they carry TMDB ids and languages). Bad rows are counted and skipped, never fatal.
 */
export async function ingestSources(
  inputs: readonly SourceInput[],
  onProgress?: (rowsRead: number) => void,
): Promise<IngestResult> {
  const files = inputs.map((input) => ({ input, source: requireSource(input.name) }));
  const ofFormat = (format: SourceFile["format"]) => files.filter((f) => f.source.format === format);
  const basics = ofFormat("imdb-basics");
  const ratings = ofFormat("imdb-ratings");
  if (ratings.length > 0 && basics.length === 0)
    throw new SourceSetError("title.ratings needs title.basics in the same import");
  const counts = emptyCounts();
  const countRow = () => {
    counts.read++;
    if (counts.read % 100_000 === 0) onProgress?.(counts.read);
  };
  const { titles, seen } = await readJsonLines(ofFormat("jsonl"), counts, countRow);
  const imdbTitles = await readImdbBasics(basics, counts, countRow);
  await addImdbRatings(ratings, imdbTitles, counts, countRow);
  for (const title of imdbTitles.values()) {
    if (seen.size > 0 && seen.has(`${title.mediaType}:${title.imdbId}`)) countSkip(counts, "duplicate title");
    else titles.push(title);
  }
  counts.kept = titles.length;
  return { titles, counts, sources: inputs.map((i) => i.name) };
}

interface ReadableSource {
  input: SourceInput;
  source: SourceFile;
}

/** Our JSON Lines titles, each once; `seen` holds every id they carry (IMDb titles are unique by id already). */
async function readJsonLines(
  files: readonly ReadableSource[],
  counts: IngestCounts,
  countRow: () => void,
): Promise<{ titles: CatalogTitle[]; seen: Set<string> }> {
  const titles: CatalogTitle[] = [];
  const seen = new Set<string>();
  for (const { input, source } of files) {
    await eachRow(input, source, undefined, (line) => {
      countRow();
      const title = parseJsonLine(line, counts);
      if (!title) return;
      const key = titleKey(title);
      const imdbKey = title.imdbId ? `${title.mediaType}:${title.imdbId}` : undefined;
      if (seen.has(key) || (imdbKey && seen.has(imdbKey))) return countSkip(counts, "duplicate title");
      seen.add(key);
      if (imdbKey) seen.add(imdbKey);
      titles.push(title);
    });
  }
  return { titles, seen };
}

/** The titles of title.basics files, by IMDb id (a repeated id: the last row wins, counted as a duplicate). */
async function readImdbBasics(
  files: readonly ReadableSource[],
  counts: IngestCounts,
  countRow: () => void,
): Promise<Map<string, CatalogTitle>> {
  const imdbTitles = new Map<string, CatalogTitle>();
  for (const { input, source } of files) {
    await eachRow(input, source, basicsHeader, (line) => {
      countRow();
      const title = parseBasicsRow(line, counts);
      if (!title) return;
      if (imdbTitles.has(title.imdbId!)) countSkip(counts, "duplicate title");
      imdbTitles.set(title.imdbId!, title);
    });
  }
  return imdbTitles;
}

/** Gives the IMDb titles their rating and votes from title.ratings files. */
async function addImdbRatings(
  files: readonly ReadableSource[],
  imdbTitles: ReadonlyMap<string, CatalogTitle>,
  counts: IngestCounts,
  countRow: () => void,
): Promise<void> {
  for (const { input, source } of files) {
    await eachRow(input, source, ratingsHeader, (line) => {
      countRow();
      const rating = parseRatingsRow(line, counts);
      if (!rating) return;
      const title = imdbTitles.get(rating.imdbId);
      if (!title) counts.ratingsUnmatched++;
      else Object.assign(title, { rating: rating.rating, votes: rating.votes });
    });
  }
}

function requireSource(name: string): SourceFile {
  const source = detectSource(name);
  if (!source) throw new SourceSetError(`${name}: not a catalog file; expected ${acceptedNames}`);
  return source;
}

/** Calls `onRow` for every non-blank data row; checks the header row of TSV files. */
async function eachRow(
  input: SourceInput,
  source: SourceFile,
  header: readonly string[] | undefined,
  onRow: (line: string) => void,
): Promise<void> {
  const raw = await input.open();
  const stream = source.gzipped ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (error) => stream.destroy(error));
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  for await (const line of lines) {
    if (first && header) {
      first = false;
      if (!isHeader(line, header))
        throw new SourceSetError(`${input.name}: the first row is not IMDb's header (${header.join(", ")})`);
      continue;
    }
    first = false;
    if (line.trim() !== "") onRow(line);
  }
}
