import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context, S3Event } from "aws-lambda";
import { type IngestOutcome, ingestBatch } from "#catalog/ingestBatch.ts";
import { skippedTotal } from "#catalog/ingestReport.ts";
import { logger, metrics } from "#observability/observability.ts";
import { getServices } from "#runtime/services.ts";

/**
 * A file landed in `incoming/`: build and publish the next catalog version from its import folder
 * (shared/catalog/ingestBatch.ts). A failure is thrown after its report is written, so the function's
 * error alarm fires; the current version keeps serving.
 */
async function ingest(event: S3Event, _context: Context): Promise<IngestOutcome[]> {
  const { catalogBucket } = getServices();
  const outcomes: IngestOutcome[] = [];
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
    logger.info("Catalog file arrived", { key, size: record.s3.object.size });
    try {
      const outcome = await ingestBatch(catalogBucket, key);
      outcomes.push(outcome);
      if (outcome.status !== "published") {
        logger.info(`Catalog ingestion ${outcome.status}`, { ...outcome });
        continue;
      }
      const { counts, ...rest } = outcome;
      logger.info("Catalog version published", {
        ...rest,
        read: counts.read,
        kept: counts.kept,
        skipped: counts.skipped,
        unknownGenres: counts.unknownGenres,
        ratingsUnmatched: counts.ratingsUnmatched,
      });
      metrics.addMetric("CatalogTitlesRead", MetricUnit.Count, counts.read);
      metrics.addMetric("CatalogTitlesKept", MetricUnit.Count, counts.kept);
      metrics.addMetric("CatalogTitlesSkipped", MetricUnit.Count, skippedTotal(counts));
      metrics.addMetric("CatalogIngestSeconds", MetricUnit.Seconds, outcome.durationMs / 1000);
      metrics.addMetric("CatalogVersionsPublished", MetricUnit.Count, 1);
    } catch (error) {
      logger.error("Catalog ingestion failed; the current version keeps serving", { key, error });
      metrics.addMetric("CatalogIngestFailed", MetricUnit.Count, 1);
      throw error;
    }
  }
  return outcomes;
}

export const handler = middy(ingest)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
