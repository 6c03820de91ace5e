/**
 * One measured step of the catalog benchmark in a fresh process (so wall time and peak RSS are its
 * own): `ingest <out> <files…>` builds a snapshot file from source files as the ingest handler does;
 * `cold <snapshot>` reads a snapshot and runs the first selection, as a cold Lambda does. Prints JSON.
 */
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { Catalog } from "#catalog/Catalog.ts";
import { ingestSources } from "#catalog/ingest.ts";
import { decodeSnapshot, encodeSnapshot } from "#catalog/snapshot.ts";
import { defaultFilters } from "#domain/filters.ts";

const [mode, target, ...files] = process.argv.slice(2);
const started = performance.now();
if (mode === "ingest") {
  const { titles, counts, sources } = await ingestSources(
    files.map((path) => ({ name: basename(path), open: async () => createReadStream(path) })),
  );
  const { bytes, meta } = encodeSnapshot(titles, {
    version: basename(target!),
    publishedAt: new Date().toISOString(),
    sources,
  });
  writeFileSync(target!, bytes);
  print({ ms: performance.now() - started, bytes: bytes.byteLength, meta, counts });
} else if (mode === "cold") {
  const bytes = readFileSync(target!);
  const catalog = new Catalog(decodeSnapshot(bytes));
  const selection = catalog.select({ ...defaultFilters, genres: ["drama"], minVotes: 1000 }, 200);
  print({ ms: performance.now() - started, bytesRead: bytes.byteLength, items: selection.items.length });
} else throw new Error(`unknown mode ${mode}`);

function print(result: Record<string, unknown>) {
  console.log(JSON.stringify({ ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}
