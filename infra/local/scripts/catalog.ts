/**
 * `npm run catalog -- generate [--titles N] [--format imdb|jsonl] [--out DIR] [--seed S] [--change-share F]`
 *   writes deterministic catalog files (default 1,400,000 titles, IMDb format, into ./catalog-data).
 * `npm run catalog -- import <files…>`
 *   uploads the files into one `incoming/<batch>/` folder of the running local stack's bucket and
 *   waits until the ingestion has published the new version (or says why not), with progress.
 */
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { createS3Client } from "#adapters/s3/client.ts";
import { generateCatalogFiles } from "#catalog/generateCatalog.ts";
import { type IngestOutcome, ingestReportKey, versionId } from "#catalog/ingestBatch.ts";
import { detectSource } from "#catalog/sourceFormat.ts";
import { catalogStore } from "#config/resources.ts";
import { progressLine } from "./progress.ts";
import { attachToRunningStack } from "./runningStack.ts";

const [command, ...rest] = process.argv.slice(2);

if (command === "generate") await generate(rest);
else if (command === "import") await importFiles(rest);
else {
  console.error(
    "usage: npm run catalog -- generate [--titles N] [--format imdb|jsonl] [--out DIR] | import <files…>",
  );
  process.exit(2);
}

async function generate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      titles: { type: "string", default: "1400000" },
      format: { type: "string", default: "imdb" },
      out: { type: "string", default: "catalog-data" },
      seed: { type: "string" },
      "change-share": { type: "string" },
    },
  });
  const titles = Number(values.titles);
  if (!Number.isInteger(titles) || titles < 1) fail("--titles must be a positive whole number");
  if (values.format !== "imdb" && values.format !== "jsonl") fail("--format must be imdb or jsonl");
  const show = progressLine();
  const started = Date.now();
  const files = await generateCatalogFiles({
    titles,
    format: values.format,
    outDir: values.out,
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values["change-share"] ? { changeShare: Number(values["change-share"]) } : {}),
    onProgress: (n) => show(`generating… ${n.toLocaleString("en")} / ${titles.toLocaleString("en")} rows`),
  });
  console.log(
    `\nWrote ${files.map((f) => `${f} (${(statSync(f).size / 1e6).toFixed(1)} MB)`).join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function importFiles(paths: string[]): Promise<void> {
  if (paths.length === 0)
    fail("name the files to import, e.g. imdb-data/title.basics.tsv.gz imdb-data/title.ratings.tsv.gz");
  for (const path of paths)
    if (!detectSource(path))
      fail(`${path}: not a catalog file name (title.basics.tsv[.gz], title.ratings.tsv[.gz], *.jsonl[.gz])`);
  const state = attachToRunningStack();
  const bucket = new CatalogBucket(createS3Client(state.s3Endpoint), state.catalogBucket);
  const before = await bucket.readPointer();
  const batch = versionId(new Date());
  const show = progressLine();
  // Uploaded in the order given; IMDb's pair is ingested once both are there.
  for (const path of paths) {
    const size = statSync(path).size;
    show(`uploading ${basename(path)} (${(size / 1e6).toFixed(1)} MB)…`);
    await bucket.put(
      `${catalogStore.incomingPrefix}${batch}/${basename(path)}`,
      createReadStream(path),
      "application/octet-stream",
      size,
    );
  }
  console.log(
    `\nUploaded ${paths.length} file(s) to s3://${state.catalogBucket}/${catalogStore.incomingPrefix}${batch}/; waiting for the ingestion…`,
  );
  const started = Date.now();
  for (;;) {
    const text = await bucket.getText(ingestReportKey(batch));
    const outcome = text ? (JSON.parse(text) as IngestOutcome) : undefined;
    if (outcome && outcome.status !== "waiting") return finish(outcome, before?.version);
    show(`ingesting… ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function finish(outcome: IngestOutcome, previous: string | undefined): void {
  console.log("");
  if (outcome.status === "published") {
    const { counts } = outcome;
    console.log(
      `Published version ${outcome.version} (previous: ${previous ?? "none"}): ${outcome.titleCount.toLocaleString("en")} titles (${outcome.movies.toLocaleString("en")} movies, ${outcome.shows.toLocaleString("en")} shows), ${(outcome.snapshotBytes / 1e6).toFixed(1)} MB, in ${(outcome.durationMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `Rows read ${counts.read.toLocaleString("en")}, kept ${counts.kept.toLocaleString("en")}; skipped ${JSON.stringify(counts.skipped)}; unknown genres ${JSON.stringify(counts.unknownGenres)}; ratings without a title ${counts.ratingsUnmatched}`,
    );
    console.log("Custom lists whose selection changed are being re-synced.");
    return;
  }
  if (outcome.status === "failed") {
    console.error(
      `The ingestion failed; the current version (${previous ?? "none"}) keeps serving: ${outcome.error}`,
    );
    process.exit(1);
  }
  console.log(`Nothing published: ${outcome.reason}`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
