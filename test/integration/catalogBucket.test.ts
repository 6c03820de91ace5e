import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { createS3Client } from "#adapters/s3/client.ts";
import { CatalogReader } from "#catalog/CatalogReader.ts";
import { ingestBatch } from "#catalog/ingestBatch.ts";
import { catalogStore } from "#config/resources.ts";
import { fauxqsForTests } from "#test/support/fauxqs.ts";

const fauxqs = fauxqsForTests(createS3Client);
let bucketCounter = 0;

async function freshBucket(): Promise<CatalogBucket> {
  const name = `catalog-test-${++bucketCounter}`;
  await fauxqs.client().send(new CreateBucketCommand({ Bucket: name }));
  return new CatalogBucket(fauxqs.client(), name);
}

const line = (tmdbId: number, rating: number) =>
  JSON.stringify({
    mediaType: "movie",
    tmdbId,
    title: `Movie ${tmdbId}`,
    genres: ["drama"],
    rating,
    votes: 5000,
  });

async function drop(bucket: CatalogBucket, batch: string, lines: string[]) {
  const key = `${catalogStore.incomingPrefix}${batch}/catalog.jsonl`;
  await bucket.put(key, `${lines.join("\n")}\n`, "application/x-ndjson");
  return key;
}

describe("catalog versions in S3 (fauxqs)", () => {
  it("publishes a version, serves it, and keeps serving it while a newer one is only half written", async () => {
    const bucket = await freshBucket();
    const reader = new CatalogReader(bucket, 0);
    expect(await reader.current()).toBeUndefined();
    const first = await ingestBatch(bucket, await drop(bucket, "a", [line(1, 7), line(2, 8)]));
    expect(first).toMatchObject({ status: "published", titleCount: 2 });
    const v1 = await reader.current();
    expect(
      v1
        ?.select({ mediaTypes: ["movie"], genres: [], genreMatch: "any", languages: [] }, 5)
        .items.map((i) => i.tmdbId),
    ).toEqual([2, 1]);

    // A snapshot written without its pointer (a crash between the two writes) is never read.
    await bucket.put(
      `${catalogStore.versionsPrefix}99999999T000000000Z-dead00.tlscat.gz`,
      "half",
      "application/octet-stream",
    );
    expect((await reader.current({ fresh: true }))?.version).toBe(v1?.version);
  });

  it("leaves the current version serving when an ingestion fails, and says why", async () => {
    const bucket = await freshBucket();
    await ingestBatch(bucket, await drop(bucket, "a", [line(1, 7)]));
    const before = await bucket.readPointer();
    const key = `${catalogStore.incomingPrefix}b/title.basics.tsv`;
    await bucket.put(key, "not the header\n", "text/tab-separated-values");
    await bucket.put(
      `${catalogStore.incomingPrefix}b/title.ratings.tsv`,
      "tconst\taverageRating\tnumVotes\n",
      "text/plain",
    );
    await expect(ingestBatch(bucket, key)).rejects.toThrow(/header/);
    expect(await bucket.readPointer()).toEqual(before);
    expect(JSON.parse((await bucket.getText(`${catalogStore.ingestReportsPrefix}b.json`))!)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/header/),
    });
  });

  it("waits for both IMDb files, and publishes once when both events arrive", async () => {
    const bucket = await freshBucket();
    const basics = `${catalogStore.incomingPrefix}pair/title.basics.tsv`;
    await bucket.put(
      basics,
      "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\ntt0000001\tmovie\tA\tA\t0\t2000\t\\N\t\\N\tDrama\n",
      "text/plain",
    );
    expect(await ingestBatch(bucket, basics)).toMatchObject({ status: "waiting" });
    const ratings = `${catalogStore.incomingPrefix}pair/title.ratings.tsv`;
    await bucket.put(ratings, "tconst\taverageRating\tnumVotes\ntt0000001\t8.1\t4000\n", "text/plain");
    expect(await ingestBatch(bucket, ratings)).toMatchObject({ status: "published", titleCount: 1 });
    expect(await ingestBatch(bucket, basics)).toMatchObject({ status: "unchanged" });
    expect(JSON.parse((await bucket.getText(`${catalogStore.ingestReportsPrefix}pair.json`))!).status).toBe(
      "published",
    );
  });

  it("deletes versions beyond the few it keeps, never the current one", async () => {
    const bucket = await freshBucket();
    for (let i = 0; i < catalogStore.keepVersions + 3; i++)
      await ingestBatch(bucket, await drop(bucket, `v${i}`, [line(1, 5 + i / 10)]));
    const versions = (await bucket.list(catalogStore.versionsPrefix)).map((o) => o.key);
    const pointer = await bucket.readPointer();
    expect(versions).toHaveLength(catalogStore.keepVersions + 1);
    expect(versions).toContain(pointer?.key);
  });
});
