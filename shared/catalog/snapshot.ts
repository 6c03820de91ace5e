import { gunzipSync, gzipSync } from "node:zlib";
import { type CatalogTitle, imdbNumber, sortKeyParts } from "#domain/catalog.ts";
import { genreMask } from "#domain/genres.ts";
import { normalizeForSearch } from "./titleSearch.ts";

/**
 * The catalog snapshot: one immutable, gzipped, columnar file per version, its titles stored best
 * first. Layout (little-endian): the magic, a u32 header length, the JSON header, then each column
 * 4-byte aligned at the offset the header names. Loading it is one gunzip and typed-array views: no
 * per-title objects.
 */
export const snapshotMagic = "TLSCAT02";

export interface SnapshotMeta {
  version: string;
  titleCount: number;
  movies: number;
  shows: number;
  publishedAt: string;
  /** The source files this version was built from. */
  sources: string[];
}

interface SnapshotHeader extends SnapshotMeta {
  /** Language codes; a title's language column holds its index + 1 (0 = unknown). */
  languages: string[];
  columns: Record<ColumnName, { offset: number; length: number }>;
}

const columnTypes = {
  votes: Uint32Array,
  /** Rating × 100, rounded; `unrated` when the title has none. */
  rating: Uint16Array,
  year: Uint16Array,
  mediaType: Uint8Array,
  genres: Uint32Array,
  language: Uint16Array,
  tmdbId: Uint32Array,
  imdbNumber: Uint32Array,
  titleOffsets: Uint32Array,
  titleBytes: Uint8Array,
  /** The titles normalized for search (ASCII, lower case, no accents), one per line, best first. */
  searchText: Uint8Array,
} as const;
type ColumnName = keyof typeof columnTypes;
export type SnapshotColumns = { [K in ColumnName]: InstanceType<(typeof columnTypes)[K]> };

/** The rating column's value for a title without a rating. */
export const unratedCode = 65_535;

/** 0 = movie, 1 = show in the mediaType column. */
export const mediaTypeCode = { movie: 0, show: 1 } as const;

/** Sorts titles best first (the documented ranking) and encodes them as one gzipped snapshot. */
export function encodeSnapshot(
  titles: CatalogTitle[],
  meta: Omit<SnapshotMeta, "titleCount" | "movies" | "shows">,
) {
  const order = bestFirstOrder(titles);
  const n = order.length;
  const languages: string[] = [];
  const languageIndex = new Map<string, number>();
  let totalBytes = 0;
  for (const t of titles) totalBytes += Buffer.byteLength(t.title);
  const searchLines: string[] = new Array(n);
  const columns: SnapshotColumns = {
    votes: new Uint32Array(n),
    rating: new Uint16Array(n),
    year: new Uint16Array(n),
    mediaType: new Uint8Array(n),
    genres: new Uint32Array(n),
    language: new Uint16Array(n),
    tmdbId: new Uint32Array(n),
    imdbNumber: new Uint32Array(n),
    titleOffsets: new Uint32Array(n + 1),
    titleBytes: new Uint8Array(totalBytes),
    searchText: new Uint8Array(0),
  };
  const encoder = new TextEncoder();
  let movies = 0;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const t = titles[order[i]!]!;
    columns.votes[i] = t.votes;
    columns.rating[i] = t.rating === undefined ? unratedCode : Math.round(t.rating * 100);
    columns.year[i] = t.year ?? 0;
    columns.mediaType[i] = mediaTypeCode[t.mediaType];
    if (t.mediaType === "movie") movies++;
    columns.genres[i] = genreMask(t.genres);
    if (t.language) {
      let index = languageIndex.get(t.language);
      if (index === undefined) {
        index = languages.push(t.language);
        languageIndex.set(t.language, index);
      }
      columns.language[i] = index;
    }
    columns.tmdbId[i] = t.tmdbId ?? 0;
    columns.imdbNumber[i] = imdbNumber(t.imdbId);
    columns.titleOffsets[i] = offset;
    offset += encoder.encodeInto(t.title, columns.titleBytes.subarray(offset)).written;
    searchLines[i] = normalizeForSearch(t.title.replace(/\n/g, " "));
  }
  columns.searchText = Buffer.from(searchLines.join("\n"), "latin1");
  columns.titleOffsets[n] = offset;
  const fullMeta: SnapshotMeta = { ...meta, titleCount: n, movies, shows: n - movies };
  return { bytes: gzipSync(pack(columns, { ...fullMeta, languages }), { level: 6 }), meta: fullMeta };
}

/** Indexes of `titles` best first, by the numeric parts of the documented sort key (no per-title strings). */
function bestFirstOrder(titles: readonly CatalogTitle[]): Uint32Array {
  const n = titles.length;
  const parts = Array.from({ length: 5 }, () => new Float64Array(n));
  titles.forEach((title, i) => {
    const key = sortKeyParts(title);
    for (let p = 0; p < 5; p++) parts[p]![i] = key[p]!;
  });
  const [score, votes, type, tmdb, imdb] = parts as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort(
    (a, b) =>
      score[a]! - score[b]! ||
      votes[a]! - votes[b]! ||
      type[a]! - type[b]! ||
      tmdb[a]! - tmdb[b]! ||
      imdb[a]! - imdb[b]!,
  );
  return Uint32Array.from(order);
}

function pack(columns: SnapshotColumns, head: Omit<SnapshotHeader, "columns">): Buffer {
  const layout = {} as SnapshotHeader["columns"];
  let offset = 0;
  for (const name of Object.keys(columnTypes) as ColumnName[]) {
    layout[name] = { offset, length: columns[name].length };
    offset = align(offset + columns[name].byteLength);
  }
  const headerBytes = Buffer.from(JSON.stringify({ ...head, columns: layout }));
  const start = align(8 + 4 + headerBytes.length);
  const out = Buffer.alloc(start + offset);
  out.write(snapshotMagic, 0, "latin1");
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  for (const name of Object.keys(columnTypes) as ColumnName[]) {
    const column = columns[name];
    Buffer.from(column.buffer, column.byteOffset, column.byteLength).copy(out, start + layout[name].offset);
  }
  return out;
}

export interface DecodedSnapshot {
  meta: SnapshotMeta;
  languages: string[];
  columns: SnapshotColumns;
}

/** Reads a gzipped snapshot back into typed-array views over one buffer. */
export function decodeSnapshot(gzipped: Uint8Array): DecodedSnapshot {
  const raw = gunzipSync(gzipped);
  // Typed-array views need aligned offsets: copy into a fresh buffer when the gunzip output is not.
  const bytes = raw.byteOffset % 4 === 0 ? raw : Buffer.from(new Uint8Array(raw));
  if (bytes.toString("latin1", 0, 8) !== snapshotMagic) throw new Error("not a catalog snapshot");
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString("utf8", 12, 12 + headerLength)) as SnapshotHeader;
  const start = align(12 + headerLength);
  const columns = {} as Record<ColumnName, unknown>;
  for (const name of Object.keys(columnTypes) as ColumnName[]) {
    const { offset, length } = header.columns[name];
    columns[name] = new columnTypes[name](bytes.buffer, bytes.byteOffset + start + offset, length);
  }
  const { languages, columns: _layout, ...meta } = header;
  return { meta, languages, columns: columns as SnapshotColumns };
}

function align(n: number): number {
  return Math.ceil(n / 4) * 4;
}
