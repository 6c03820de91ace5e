/**
 * The catalog case of `npm run bench`: generated IMDb files of BENCH_CATALOG_TITLES titles (default
 * 1,400,000) ingested in a fresh process; 200-item selections over 20 filter sets from the snapshot,
 * warm and cold, next to the DynamoDB best-first read it replaces (on a slice of BENCH_DYNAMO_TITLES
 * titles, default 20,000, loaded into DynamoDB Local: two items per title through BatchWrite take minutes); preview and search latency; and a refresh of
 * 1,000 custom lists after a version changing 1% of ratings and votes, then after one changing nothing.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { tableDefinition } from "#adapters/dynamo/tableDefinition.ts";
import { Catalog } from "#catalog/Catalog.ts";
import { generateCatalogFiles } from "#catalog/generateCatalog.ts";
import { decodeSnapshot, encodeSnapshot } from "#catalog/snapshot.ts";
import { numberEnv } from "#config/env.ts";
import { type CatalogTitle, selectCandidates } from "#domain/catalog.ts";
import { type CustomListFilters, defaultFilters } from "#domain/filters.ts";
import { startDynamoDbLocal } from "#infra/local/runtime/dynamoDbLocal.ts";
import { CatalogRepository } from "./CatalogRepository.ts";
import { capacityMeter } from "./capacityMeter.ts";
import { benchFilterSets } from "./catalogFilterSets.ts";
import { refreshBench } from "./catalogRefreshBench.ts";

const workerPath = new URL("./catalogWorker.ts", import.meta.url).pathname;
const limit = 200;

export async function catalogBench(log: (line: string) => void): Promise<void> {
  const titles = numberEnv("BENCH_CATALOG_TITLES", 1_400_000);
  const sliceSize = numberEnv("BENCH_DYNAMO_TITLES", 20_000);
  const dir = mkdtempSync(join(tmpdir(), "catalog-bench-"));
  try {
    log(
      `Catalog: ${titles.toLocaleString("en")} generated titles (IMDb format), snapshot in S3 vs the DynamoDB best-first read`,
    );
    const v1 = await generate(dir, "v1", titles, 0, log);
    const v2 = await generate(dir, "v2", titles, 0.01, log);
    const ingest1 = ingestInFreshProcess(dir, "v1", v1);
    const ingest2 = ingestInFreshProcess(dir, "v2", v2);
    log("\nIngestion (fresh process, local files; targets ≤ 2 min, ≤ 1.5 GB):");
    console.table(
      [ingest1, ingest2].map((r) => ({
        version: r.name,
        "rows read": r.counts.read,
        titles: r.meta.titleCount,
        skipped: Object.values(r.counts.skipped as Record<string, number>).reduce((a, b) => a + b, 0),
        "wall s": round(r.ms / 1000, 1),
        "peak RSS MB": Math.round(r.peakRssMb),
        "snapshot MB": round(r.bytes / 1e6, 1),
      })),
    );

    const cold = [1, 2, 3].map(() =>
      JSON.parse(
        execFileSync(process.execPath, [workerPath, "cold", join(dir, "v1.tlscat.gz")], { encoding: "utf8" }),
      ),
    );
    const catalog = new Catalog(decodeSnapshot(readFileSync(join(dir, "v1.tlscat.gz"))));
    const slice = sliceOf(catalog, sliceSize);
    const sliceCatalog = new Catalog(
      decodeSnapshot(encodeSnapshot(slice, { version: "slice", publishedAt: "", sources: [] }).bytes),
    );
    const dynamo = await dynamoSide(slice, log);
    selectionTable(catalog, sliceCatalog, dynamo, sliceSize, log);
    log(
      `Cold first selection (fresh process: read ${round(cold[0].bytesRead / 1e6, 1)} MB snapshot, decode, select; target ≤ 3 s): ${cold.map((c) => `${Math.round(c.ms)} ms`).join(", ")}; peak RSS ${Math.round(Math.max(...cold.map((c) => c.peakRssMb)))} MB (target ≤ 1 GB)`,
    );
    log(
      `Bytes read per warm selection: 0 (in memory); per cold start: the snapshot, ${round(cold[0].bytesRead / 1e6, 1)} MB. This process's RSS with the catalog loaded: ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
    );
    previewAndSearch(catalog, log);
    await refreshBench(dir, catalog, log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function generate(
  dir: string,
  name: string,
  titles: number,
  changeShare: number,
  log: (line: string) => void,
) {
  const started = Date.now();
  const files = await generateCatalogFiles({
    titles,
    format: "imdb",
    outDir: join(dir, name),
    changeShare,
    onProgress: (n) =>
      process.stdout.isTTY && process.stdout.write(`\r  generating ${name}: ${n.toLocaleString("en")} rows`),
  });
  log(
    `${process.stdout.isTTY ? "\n" : ""}  generated ${name}${changeShare ? ` (${changeShare * 100}% of ratings and votes changed)` : ""} in ${round((Date.now() - started) / 1000, 1)} s`,
  );
  return files;
}

function ingestInFreshProcess(dir: string, name: string, files: string[]) {
  const out = execFileSync(
    process.execPath,
    [workerPath, "ingest", join(dir, `${name}.tlscat.gz`), ...files],
    { encoding: "utf8", maxBuffer: 1e7 },
  );
  return { name, ...JSON.parse(out) };
}

/** Every k-th title of the catalog, so the slice spans the whole ranking. */
function sliceOf(catalog: Catalog, size: number): CatalogTitle[] {
  const step = Math.max(1, Math.floor(catalog.meta.titleCount / size));
  const slice: CatalogTitle[] = [];
  for (let i = 0; i < catalog.meta.titleCount && slice.length < size; i += step) {
    // DynamoDB keys need a TMDB id; the slice gives each title a stand-in one.
    slice.push({ ...catalog.title(i), tmdbId: i + 1 });
  }
  return slice;
}

interface DynamoFigures {
  loadSeconds: number;
  perSet: { ms: number; rcu: number; items: number }[];
}

async function dynamoSide(slice: CatalogTitle[], log: (line: string) => void): Promise<DynamoFigures> {
  const dynamo = await startDynamoDbLocal();
  const doc = createDocumentClient(dynamo.endpoint);
  try {
    const tableName = `bench-catalog-${randomUUID()}`;
    await doc.send(new CreateTableCommand(tableDefinition(tableName)));
    const repository = new CatalogRepository(doc, tableName);
    const started = Date.now();
    await repository.load(slice, (n) => {
      if (n % 10_000 === 0)
        log(`  DynamoDB Local: loaded ${n.toLocaleString("en")}/${slice.length.toLocaleString("en")} titles`);
    });
    const loadSeconds = (Date.now() - started) / 1000;
    const perSet = [];
    for (const [, partial] of benchFilterSets) {
      capacityMeter.reset();
      const t0 = performance.now();
      const items = await selectCandidates(repository.bestFirst(), filtersOf(partial), limit);
      perSet.push({ ms: performance.now() - t0, rcu: capacityMeter.readCapacityUnits, items: items.length });
    }
    return { loadSeconds, perSet };
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}

function selectionTable(
  catalog: Catalog,
  slice: Catalog,
  dynamo: DynamoFigures,
  sliceSize: number,
  log: (line: string) => void,
) {
  const all: number[] = [];
  const rows = benchFilterSets.map(([name, partial], i) => {
    const filters = filtersOf(partial);
    const times = timed(30, () => catalog.select(filters, limit));
    all.push(...times);
    const sliceTimes = timed(30, () => slice.select(filters, limit));
    return {
      "filter set": name,
      items: catalog.select(filters, limit).items.length,
      "snapshot p50 ms": round(percentile(times, 50), 2),
      "snapshot p99 ms": round(percentile(times, 99), 2),
      [`slice ${sliceSize / 1000}k: snapshot ms`]: round(percentile(sliceTimes, 50), 2),
      "slice: DynamoDB ms": Math.round(dynamo.perSet[i]!.ms),
      "slice: DynamoDB RCU": round(dynamo.perSet[i]!.rcu, 1),
    };
  });
  log(
    `\nSelection of a ${limit}-item custom list, warm (30 runs per set; the snapshot reads 0 bytes per selection). DynamoDB side on a ${sliceSize.toLocaleString("en")}-title slice (every k-th title), loaded into DynamoDB Local in ${Math.round(dynamo.loadSeconds)} s:`,
  );
  console.table(rows);
  log(
    `All 20 sets on ${catalog.meta.titleCount.toLocaleString("en")} titles: p50 ${round(percentile(all, 50), 2)} ms, p99 ${round(percentile(all, 99), 2)} ms (targets ≤ 50 ms / ≤ 300 ms)`,
  );
}

function previewAndSearch(catalog: Catalog, log: (line: string) => void) {
  const preview: number[] = [];
  for (const [, partial] of benchFilterSets) {
    const filters = filtersOf(partial);
    preview.push(
      ...timed(10, () => {
        const { indexes } = catalog.select(filters, limit);
        return indexes.map((index, k) => ({ rank: k + 1, ...catalog.entry(index) }));
      }),
    );
  }
  const firstSearch = timed(1, () => catalog.search("star", 20));
  const queries = [
    "star",
    "amelie",
    "the last",
    "midnight sun",
    "café noël",
    "zzz",
    "wa",
    "iron crown harbor",
  ];
  const search: number[] = [];
  for (const q of queries) search.push(...timed(20, () => catalog.search(q, 20)));
  log(
    `\nPreview (200 items with their facts): p50 ${round(percentile(preview, 50), 2)} ms, p99 ${round(percentile(preview, 99), 2)} ms`,
  );
  log(
    `Search (${queries.length} queries, 20 results): p50 ${round(percentile(search, 50), 2)} ms, p99 ${round(percentile(search, 99), 2)} ms; the first search of a version builds its index: ${Math.round(firstSearch[0]!)} ms`,
  );
}

export function filtersOf(partial: Partial<CustomListFilters>): CustomListFilters {
  return { ...defaultFilters, ...partial };
}

function timed(runs: number, fn: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
