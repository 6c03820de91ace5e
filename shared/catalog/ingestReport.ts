/** What one ingestion read, kept and skipped (with reasons): logged, emitted as metrics, stored with the version. */
export interface IngestCounts {
  /** Data rows read from every source file (headers and blank lines excluded). */
  read: number;
  kept: number;
  skipped: Record<string, number>;
  /** Genre names we have no slug for (the genre is dropped, the title kept). */
  unknownGenres: Record<string, number>;
  /** Ratings rows whose title is not in the catalog (other title types, or missing from title.basics). */
  ratingsUnmatched: number;
}

export function emptyCounts(): IngestCounts {
  return { read: 0, kept: 0, skipped: {}, unknownGenres: {}, ratingsUnmatched: 0 };
}

export function countSkip(counts: IngestCounts, reason: string): void {
  counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
}

export function skippedTotal(counts: IngestCounts): number {
  return Object.values(counts.skipped).reduce((sum, n) => sum + n, 0);
}
