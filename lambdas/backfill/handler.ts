import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import { backfillMaxLists } from "#config/env.ts";
import { logger, metrics, tracer } from "#observability/observability.ts";
import { getServices } from "#runtime/services.ts";
import { type BackfillReport, runBackfill } from "#sync/backfill.ts";

/** The scheduled repair run (see shared/sync/backfill.ts). */
async function backfill(
  _event: ScheduledEvent | Record<string, never>,
  _context: Context,
): Promise<BackfillReport> {
  const { lists, queue, sessionFor } = getServices();
  const report = await runBackfill(
    {
      lists,
      queue,
      sessionFor,
      onTraktListDeleted: (deletion) => logger.info("Trakt list deleted", { ...deletion }),
    },
    { maxLists: backfillMaxLists() },
  );
  logger.info("Backfill finished", { ...report });
  metrics.addMetric("BackfillExamined", MetricUnit.Count, report.examined);
  metrics.addMetric("BackfillRepairsQueued", MetricUnit.Count, report.repairsQueued);
  metrics.addMetric("BackfillVerified", MetricUnit.Count, report.verified);
  metrics.addMetric("BackfillDrifted", MetricUnit.Count, report.drifted);
  metrics.addMetric("BackfillOrphansRemoved", MetricUnit.Count, report.orphansRemoved);
  metrics.addMetric("BackfillNotOurs", MetricUnit.Count, report.notOurs);
  metrics.addMetric("BackfillConsumedRcu", MetricUnit.Count, report.consumedRcu);
  return report;
}

export const handler = middy(backfill)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
