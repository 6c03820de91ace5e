import { basename } from "node:path";
import type { Context, S3Event } from "aws-lambda";
import type { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { batchOf, type IngestOutcome, ingestReportKey } from "#catalog/ingestBatch.ts";
import { catalogStore, functionTimeoutSeconds } from "#config/resources.ts";
import type { InvocationCounter } from "./lambdaContext.ts";
import { localContext } from "./lambdaContext.ts";

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * The local stand-in for the bucket's S3 notifications: watches `incoming/` and invokes the ingest
 * handler with an S3 event for every new object, as Lambda would; when a version is published it
 * invokes the refresh handler, as the notification on `catalog/current.json` does in AWS.
 */
export class CatalogPoller {
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly options: {
    bucket: CatalogBucket;
    ingest: Handler<S3Event, IngestOutcome[]>;
    refresh: Handler<unknown, unknown>;
    invocations: InvocationCounter;
    intervalMs: number;
    log: (message: string) => void;
  };

  constructor(options: CatalogPoller["options"]) {
    this.options = options;
  }

  /**
   * Marks the files a previous run already ingested as seen (a stack restarted on its kept data), so
   * an old import is not published again over a newer version. Files of folders without a finished
   * report are still ingested.
   */
  async prime(): Promise<void> {
    const { bucket } = this.options;
    const finished = new Set<string>();
    for (const report of await bucket.list(catalogStore.ingestReportsPrefix)) {
      const text = await bucket.getText(report.key);
      const outcome = text ? (JSON.parse(text) as IngestOutcome) : undefined;
      if (outcome && outcome.status !== "waiting") finished.add(ingestReportKey(outcome.batch));
    }
    for (const object of await bucket.list(catalogStore.incomingPrefix)) {
      if (finished.has(ingestReportKey(batchOf(object.key).batch)))
        this.seen.add(`${object.key}:${object.etag}`);
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.pollOnce().catch(() => undefined), this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Ingests every object that arrived since the last poll (one at a time, like a reserved concurrency of 1). */
  pollOnce(): Promise<void> {
    this.running ??= this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async poll(): Promise<void> {
    const { bucket, log } = this.options;
    for (const object of await bucket.list(catalogStore.incomingPrefix)) {
      const id = `${object.key}:${object.etag}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.options.invocations.add("catalog-ingest");
      try {
        const outcomes = await this.options.ingest(
          s3Event(bucket.bucket, object),
          localContext("catalog-ingest", functionTimeoutSeconds["catalog-ingest"]),
        );
        for (const outcome of outcomes) {
          log(`catalog-ingest ${basename(object.key)}: ${summary(outcome)}`);
          if (outcome.status !== "published") continue;
          this.options.invocations.add("catalog-refresh");
          const report = await this.options.refresh(
            { source: "new-version" },
            localContext("catalog-refresh", functionTimeoutSeconds["catalog-refresh"]),
          );
          log(`catalog-refresh: ${JSON.stringify(report)}`);
        }
      } catch (error) {
        log(`catalog-ingest ${object.key} failed (the current version keeps serving): ${String(error)}`);
      }
    }
  }
}

function summary(outcome: IngestOutcome): string {
  if (outcome.status === "published")
    return `version ${outcome.version}: ${outcome.titleCount} titles (${outcome.counts.read} rows read) in ${outcome.durationMs} ms`;
  return "reason" in outcome ? `${outcome.status}: ${outcome.reason}` : outcome.status;
}

function s3Event(bucket: string, object: { key: string; etag: string; size: number }): S3Event {
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: process.env.AWS_REGION ?? "us-east-1",
        eventTime: new Date().toISOString(),
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "local" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": "local", "x-amz-id-2": "local" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "catalog-incoming",
          bucket: { name: bucket, ownerIdentity: { principalId: "local" }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeURIComponent(object.key).replace(/%2F/g, "/"),
            size: object.size,
            eTag: object.etag,
            sequencer: "0",
          },
        },
      },
    ],
  };
}
