import { createHash } from "node:crypto";
import type { CatalogTitle } from "#domain/catalog.ts";
import type { CustomListFilters } from "#domain/filters.ts";
import { genreMask, genresOfMask } from "#domain/genres.ts";
import type { ListItem } from "#domain/item.ts";
import type { MediaType, TitleIds } from "#domain/media.ts";
import { type BlockSummaries, blockSize, summarizeBlocks } from "./blockSummary.ts";
import {
  type DecodedSnapshot,
  mediaTypeCode,
  type SnapshotColumns,
  type SnapshotMeta,
  unratedCode,
} from "./snapshot.ts";
import { normalizeForSearch, TitleSearchIndex } from "./titleSearch.ts";

/** A title as preview and search show it. */
export interface CatalogEntry {
  mediaType: MediaType;
  tmdbId?: number;
  imdbId?: string;
  title: string;
  year: number | null;
  rating: number | null;
  votes: number;
  genres: string[];
  language?: string;
}

/** What a custom list gets from one catalog version: its items, and a hash of their ids in order. */
export interface CatalogSelection {
  catalogVersion: string;
  items: ListItem[];
  /** Indexes into the snapshot, best first (for previews). */
  indexes: number[];
  selectionHash: string;
}

const mediaTypeOfCode: readonly MediaType[] = ["movie", "show"];

/**
 * One loaded catalog version: typed arrays in best-first order. A selection is one pass from the
 * best title down that stops as soon as the list is full; nothing is read twice.
 */
export class Catalog {
  readonly meta: SnapshotMeta;
  private readonly columns: SnapshotColumns;
  private readonly languages: string[];
  private readonly decoder = new TextDecoder();
  private searchIndex: TitleSearchIndex | undefined;
  private idIndex: Map<string, number> | undefined;
  private blocks: BlockSummaries | undefined;

  constructor(snapshot: DecodedSnapshot) {
    this.meta = snapshot.meta;
    this.columns = snapshot.columns;
    this.languages = snapshot.languages;
  }

  get version(): string {
    return this.meta.version;
  }

  /** The top `limit` titles passing `filters`, best first: exactly what a sync puts on the list. */
  select(filters: CustomListFilters, limit: number): CatalogSelection {
    const indexes = this.selectIndexes(filters, limit);
    const items = indexes.map((index, position) => this.listItem(index, position + 1));
    return { catalogVersion: this.version, items, indexes, selectionHash: selectionHash(items) };
  }

  /** One pass from the best title down, skipping blocks whose bounds rule the filters out; stops when full. */
  selectIndexes(filters: CustomListFilters, limit: number): number[] {
    const picked: number[] = [];
    const test = compileFilters(filters, this.languages);
    if (!test || limit <= 0) return picked;
    this.blocks ??= summarizeBlocks(this.columns);
    const n = this.columns.votes.length;
    for (let b = 0; b < this.blocks.count && picked.length < limit; b++) {
      if (!blockMayMatch(this.blocks, b, test)) continue;
      this.scanBlock(test, b * blockSize, Math.min(n, (b + 1) * blockSize), picked, limit);
    }
    return picked;
  }

  private scanBlock(test: CompiledFilters, from: number, to: number, picked: number[], limit: number): void {
    const { votes, rating, year, mediaType, genres, language } = this.columns;
    for (let i = from; i < to; i++) {
      if (!test.mediaTypes[mediaType[i]!]) continue;
      if (votes[i]! < test.minVotes) continue;
      const r = rating[i]!;
      if (r < test.minRating || r > test.maxRating) continue;
      const y = year[i]!;
      if (y < test.yearFrom || y > test.yearTo) continue;
      if (test.genreMask !== 0) {
        const g = genres[i]! & test.genreMask;
        if (test.allGenres ? g !== test.genreMask : g === 0) continue;
      }
      if (test.languages && !test.languages[language[i]!]) continue;
      picked.push(i);
      if (picked.length >= limit) return;
    }
  }

  /** Titles whose words start with every word of `query`, best first, at most `limit`. */
  search(query: string, limit: number, mediaType?: MediaType): number[] {
    const { searchText } = this.columns;
    this.searchIndex ??= new TitleSearchIndex(
      Buffer.from(searchText.buffer, searchText.byteOffset, searchText.byteLength).toString("latin1"),
      this.columns.votes.length,
    );
    const wanted = mediaType === undefined ? undefined : mediaTypeCode[mediaType];
    return this.searchIndex.find(normalizeForSearch(query), limit, (index) =>
      wanted === undefined ? true : this.columns.mediaType[index] === wanted,
    );
  }

  /** The catalog's titles for the given ids, by `titleKey`; titles it lacks are absent. */
  lookup(titles: readonly TitleIds[]): Map<string, CatalogTitle> {
    this.idIndex ??= this.buildIdIndex();
    const found = new Map<string, CatalogTitle>();
    for (const t of titles) {
      const index =
        (t.tmdbId !== undefined ? this.idIndex.get(`${t.mediaType}:${t.tmdbId}`) : undefined) ??
        (t.imdbId ? this.idIndex.get(`${t.mediaType}:${t.imdbId}`) : undefined);
      if (index !== undefined) found.set(`${t.mediaType}:${t.tmdbId ?? t.imdbId}`, this.title(index));
    }
    return found;
  }

  title(index: number): CatalogTitle {
    const c = this.columns;
    const r = c.rating[index]!;
    const lang = c.language[index]!;
    return {
      mediaType: mediaTypeOfCode[c.mediaType[index]!]!,
      ...(c.tmdbId[index] ? { tmdbId: c.tmdbId[index] } : {}),
      ...(c.imdbNumber[index] ? { imdbId: imdbIdOf(c.imdbNumber[index]!) } : {}),
      title: this.titleText(index),
      ...(c.year[index] ? { year: c.year[index] } : {}),
      genres: genresOfMask(c.genres[index]!),
      ...(lang ? { language: this.languages[lang - 1]! } : {}),
      ...(r === unratedCode ? {} : { rating: r / 100 }),
      votes: c.votes[index]!,
    };
  }

  entry(index: number): CatalogEntry {
    const { year, rating, ...rest } = this.title(index);
    return { ...rest, year: year ?? null, rating: rating ?? null };
  }

  private listItem(index: number, rank: number): ListItem {
    const c = this.columns;
    return {
      mediaType: mediaTypeOfCode[c.mediaType[index]!]!,
      ...(c.tmdbId[index] ? { tmdbId: c.tmdbId[index] } : {}),
      ...(c.imdbNumber[index] ? { imdbId: imdbIdOf(c.imdbNumber[index]!) } : {}),
      rank,
      title: this.titleText(index),
      ...(c.year[index] ? { year: c.year[index] } : {}),
    };
  }

  private titleText(index: number): string {
    const { titleOffsets, titleBytes } = this.columns;
    return this.decoder.decode(titleBytes.subarray(titleOffsets[index]!, titleOffsets[index + 1]!));
  }

  private buildIdIndex(): Map<string, number> {
    const { tmdbId, imdbNumber, mediaType } = this.columns;
    const index = new Map<string, number>();
    for (let i = tmdbId.length - 1; i >= 0; i--) {
      const type = mediaTypeOfCode[mediaType[i]!];
      if (tmdbId[i]) index.set(`${type}:${tmdbId[i]}`, i);
      if (imdbNumber[i]) index.set(`${type}:${imdbIdOf(imdbNumber[i]!)}`, i);
    }
    return index;
  }
}

export function imdbIdOf(n: number): string {
  return `tt${String(n).padStart(7, "0")}`;
}

/** A hash of a selection's ids in rank order: equal hashes mean the list on Trakt needs no change. */
export function selectionHash(items: readonly TitleIds[]): string {
  const hash = createHash("sha256");
  for (const item of items) hash.update(`${item.mediaType}:${item.tmdbId ?? ""}:${item.imdbId ?? ""}\n`);
  return hash.digest("base64url").slice(0, 22);
}

interface CompiledFilters {
  mediaTypes: boolean[];
  minVotes: number;
  /** Bounds on the rating column (× 100); a minimum rating also shuts out unrated titles. */
  minRating: number;
  maxRating: number;
  yearFrom: number;
  yearTo: number;
  genreMask: number;
  allGenres: boolean;
  languages: boolean[] | undefined;
  /** The block-summary bits of the accepted languages (all of them when any index is ≥ 31). */
  languageBits: number;
}

function blockMayMatch(s: BlockSummaries, b: number, test: CompiledFilters): boolean {
  if (s.maxVotes[b]! < test.minVotes) return false;
  if (s.maxRating[b]! < test.minRating || s.minRating[b]! > test.maxRating) return false;
  if (s.maxYear[b]! < test.yearFrom || s.minYear[b]! > test.yearTo) return false;
  if (!((test.mediaTypes[0] && s.mediaTypes[b]! & 1) || (test.mediaTypes[1] && s.mediaTypes[b]! & 2)))
    return false;
  if (test.genreMask !== 0) {
    const g = s.genres[b]! & test.genreMask;
    if (test.allGenres ? g !== test.genreMask : g === 0) return false;
  }
  return !test.languages || (s.languages[b]! & test.languageBits) !== 0;
}

/** The filters as plain numbers and masks; undefined when nothing can match (e.g. an unknown genre with `all`). */
function compileFilters(filters: CustomListFilters, languages: string[]): CompiledFilters | undefined {
  const mask = genreMask(filters.genres);
  const allKnown = filters.genres.every((g) => genreMask([g]) !== 0);
  if (filters.genres.length > 0 && (mask === 0 || (filters.genreMatch === "all" && !allKnown)))
    return undefined;
  let languageTable: boolean[] | undefined;
  let languageBits = 0;
  if (filters.languages.length > 0) {
    languageTable = [false, ...languages.map((code) => filters.languages.includes(code))];
    if (!languageTable.includes(true)) return undefined;
    languageTable.forEach((accepted, index) => {
      if (accepted) languageBits |= 1 << Math.min(index, 31);
    });
  }
  return {
    mediaTypes: [filters.mediaTypes.includes("movie"), filters.mediaTypes.includes("show")],
    minVotes: filters.minVotes ?? 0,
    minRating: filters.minRating === undefined ? 0 : Math.ceil(filters.minRating * 100 - 1e-6),
    maxRating: filters.minRating === undefined ? unratedCode : unratedCode - 1,
    // A title of unknown year (0) passes no year bound.
    yearFrom: filters.yearFrom ?? (filters.yearTo !== undefined ? 1 : 0),
    yearTo: filters.yearTo ?? 65_535,
    genreMask: mask,
    allGenres: filters.genreMatch === "all",
    languages: languageTable,
    languageBits,
  };
}
