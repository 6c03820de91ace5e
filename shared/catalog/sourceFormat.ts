import { basename } from "node:path";

/** What a source file holds, told by its name; a `.gz` suffix means gzip. */
export type SourceFormat = "imdb-basics" | "imdb-ratings" | "jsonl";

const patterns: readonly [RegExp, SourceFormat][] = [
  [/^title\.basics\.tsv(\.gz)?$/, "imdb-basics"],
  [/^title\.ratings\.tsv(\.gz)?$/, "imdb-ratings"],
  [/\.(jsonl|ndjson)(\.gz)?$/, "jsonl"],
];

export interface SourceFile {
  name: string;
  format: SourceFormat;
  gzipped: boolean;
}

/** The format of a file from its name, or undefined when we do not read that file. */
export function detectSource(path: string): SourceFile | undefined {
  const name = basename(path);
  const match = patterns.find(([pattern]) => pattern.test(name));
  return match ? { name, format: match[1], gzipped: name.endsWith(".gz") } : undefined;
}

/** The names the ingestion accepts, for error messages and the README. */
export const acceptedNames =
  "title.basics.tsv[.gz] with title.ratings.tsv[.gz] (IMDb), or <name>.jsonl[.gz] (our JSON Lines)";
