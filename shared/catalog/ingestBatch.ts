import { createHash, randomBytes } from "node:crypto";
import { basename } from "node:path";
import { catalogStore } from "#config/resources.ts";
import { ingestSources } from "./ingest.ts";
import type { IngestCounts } from "./ingestReport.ts";
import type { CatalogPointer, CatalogStorage } from "./ports.ts";
import { encodeSnapshot } from "./snapshot.ts";
import { detectSource } from "./sourceFormat.ts";

/** What one ingestion did; stored as `catalog/ingests/<batch>.json`, logged and emitted as metrics. */
export type IngestOutcome =
  | {
      status: "published";
      batch: string;
      version: string;
      counts: IngestCounts;
      titleCount: number;
      movies: number;
      shows: number;
      snapshotBytes: number;
      durationMs: number;
      finishedAt: string;
    }
  | { status: "waiting" | "unchanged"; batch: string; reason: string; finishedAt: string }
  | { status: "failed"; batch: string; error: string; durationMs: number; finishedAt: string };

/** The import folder of an `incoming/` key: `incoming/<batch>/<file>` (a file straight in `incoming/` is its own batch). */
export function batchOf(key: string): { batch: string; prefix: string } {
  const rest = key.slice(catalogStore.incomingPrefix.length);
  const slash = rest.lastIndexOf("/");
  return slash < 0
    ? { batch: rest, prefix: key }
    : { batch: rest.slice(0, slash), prefix: `${catalogStore.incomingPrefix}${rest.slice(0, slash + 1)}` };
}

/**
 * Builds and publishes the next catalog version from the source files of one import folder. IMDb
 * files wait for each other (title.basics needs its title.ratings); the same files ingested twice
 * (two S3 events for one import) publish once. A failure publishes nothing: the current version
 * keeps serving, the report says why, and the error is thrown for the alarm.
 */
export async function ingestBatch(
  bucket: CatalogStorage,
  key: string,
  now = () => new Date(),
): Promise<IngestOutcome> {
  const { batch, prefix } = batchOf(key);
  const started = Date.now();
  const objects = (await bucket.list(prefix)).filter(
    (o) => o.key === prefix || !o.key.slice(prefix.length).includes("/"),
  );
  const formats = new Set(objects.map((o) => detectSource(o.key)?.format));
  const done = (outcome: IngestOutcome) => report(bucket, outcome);
  if (formats.has("imdb-basics") !== formats.has("imdb-ratings"))
    return done({
      status: "waiting",
      batch,
      reason: "IMDb files come in pairs: waiting for title.basics and title.ratings",
      finishedAt: now().toISOString(),
    });
  const sourceTag = hashOf(objects.map((o) => `${o.key}:${o.etag}`));
  const current = await bucket.readPointer();
  if (current?.sourceTag === sourceTag)
    return done({
      status: "unchanged",
      batch,
      reason: `version ${current.version} was built from these files`,
      finishedAt: now().toISOString(),
    });
  try {
    const { titles, counts, sources } = await ingestSources(
      objects.map((o) => ({ name: basename(o.key), open: () => bucket.openStream(o.key) })),
    );
    const version = versionId(now());
    const { bytes, meta } = encodeSnapshot(titles, { version, publishedAt: now().toISOString(), sources });
    titles.length = 0;
    const pointer: Omit<CatalogPointer, "key"> = { ...meta, sourceTag };
    await bucket.publish(bytes, pointer);
    return done({
      status: "published",
      batch,
      version,
      counts,
      titleCount: meta.titleCount,
      movies: meta.movies,
      shows: meta.shows,
      snapshotBytes: bytes.byteLength,
      durationMs: Date.now() - started,
      finishedAt: now().toISOString(),
    });
  } catch (error) {
    await done({
      status: "failed",
      batch,
      error: error instanceof Error ? error.message : String(error),
      durationMs: Date.now() - started,
      finishedAt: now().toISOString(),
    });
    throw error;
  }
}

/** Sortable, unique version ids: `20260101T120000123Z-1a2b3c`. */
export function versionId(at: Date): string {
  return `${at.toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`;
}

export function ingestReportKey(batch: string): string {
  return `${catalogStore.ingestReportsPrefix}${batch.replace(/\//g, "_")}.json`;
}

/** Stores the batch's report; a later event of the same batch that did nothing keeps the report of what was done. */
async function report(bucket: CatalogStorage, outcome: IngestOutcome): Promise<IngestOutcome> {
  if (outcome.status === "waiting" || outcome.status === "unchanged") {
    const existing = await bucket.getText(ingestReportKey(outcome.batch));
    const status = existing ? (JSON.parse(existing) as IngestOutcome).status : undefined;
    if (status === "published" || status === "failed") return outcome;
  }
  await bucket.put(ingestReportKey(outcome.batch), JSON.stringify(outcome), "application/json");
  return outcome;
}

function hashOf(parts: string[]): string {
  return createHash("sha256")
    .update([...parts].sort().join("\n"))
    .digest("base64url")
    .slice(0, 22);
}
