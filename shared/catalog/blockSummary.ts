import type { SnapshotColumns } from "./snapshot.ts";

/** Titles per block: a selection skips every block whose summary rules out the filters. */
export const blockSize = 2_048;

/**
 * Per-block bounds of the best-first columns (a zone map), built once when a version is loaded. A
 * filter that few titles pass, or none, then skips most of the catalog without looking at its titles,
 * so an empty selection costs no more than a broad one.
 */
export interface BlockSummaries {
  count: number;
  maxVotes: Uint32Array;
  minRating: Uint16Array;
  maxRating: Uint16Array;
  minYear: Uint16Array;
  maxYear: Uint16Array;
  genres: Uint32Array;
  mediaTypes: Uint8Array;
  /** Bit `min(languageIndex, 31)` for each title's language (index 0 = unknown). */
  languages: Uint32Array;
}

export function summarizeBlocks(columns: SnapshotColumns): BlockSummaries {
  const n = columns.votes.length;
  const count = Math.ceil(n / blockSize);
  const s: BlockSummaries = {
    count,
    maxVotes: new Uint32Array(count),
    minRating: new Uint16Array(count).fill(65_535),
    maxRating: new Uint16Array(count),
    minYear: new Uint16Array(count).fill(65_535),
    maxYear: new Uint16Array(count),
    genres: new Uint32Array(count),
    mediaTypes: new Uint8Array(count),
    languages: new Uint32Array(count),
  };
  for (let i = 0; i < n; i++) {
    const b = (i / blockSize) | 0;
    if (columns.votes[i]! > s.maxVotes[b]!) s.maxVotes[b] = columns.votes[i]!;
    const r = columns.rating[i]!;
    if (r < s.minRating[b]!) s.minRating[b] = r;
    if (r > s.maxRating[b]!) s.maxRating[b] = r;
    const y = columns.year[i]!;
    if (y < s.minYear[b]!) s.minYear[b] = y;
    if (y > s.maxYear[b]!) s.maxYear[b] = y;
    s.genres[b]! |= columns.genres[i]!;
    s.mediaTypes[b]! |= 1 << columns.mediaType[i]!;
    s.languages[b]! |= 1 << Math.min(columns.language[i]!, 31);
  }
  return s;
}
