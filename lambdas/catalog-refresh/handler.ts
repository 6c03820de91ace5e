import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { CatalogRefreshStateRepository } from "#adapters/dynamo/CatalogRefreshStateRepository.ts";
import { envNames, numberEnv, requireEnv } from "#config/env.ts";
import { catalogRefresh } from "#config/resources.ts";
import { logger, metrics } from "#observability/observability.ts";
import { getServices } from "#runtime/services.ts";
import { type CatalogRefreshReport, runCatalogRefresh } from "#sync/catalogRefresh.ts";

/**
 * Keeps custom lists fresh (shared/sync/catalogRefresh.ts). Runs when a new version's pointer is
 * written (S3 event) and on a schedule that continues unfinished passes and starts one daily.
 */
async function refresh(_event: unknown, _context: Context): Promise<CatalogRefreshReport> {
  const { doc, users, lists, queue, catalog } = getServices();
  const report = await runCatalogRefresh(
    {
      state: new CatalogRefreshStateRepository(doc, requireEnv(envNames.tableName)),
      usersAfter: (after) => users.usersAfter(after),
      listsOf: (userId) => lists.listByUser(userId),
      queue,
      catalog: () => catalog.reader.current({ fresh: true }),
    },
    {
      maxLists: numberEnv(envNames.catalogRefreshMaxLists, catalogRefresh.maxListsPerRun),
      passIntervalMs:
        numberEnv(envNames.catalogRefreshIntervalSeconds, catalogRefresh.passIntervalSeconds) * 1000,
    },
  );
  logger.info("Catalog refresh finished", { ...report });
  metrics.addMetric("CatalogRefreshExamined", MetricUnit.Count, report.examined);
  metrics.addMetric("CatalogRefreshChanged", MetricUnit.Count, report.changed);
  metrics.addMetric("CatalogRefreshQueued", MetricUnit.Count, report.queued);
  return report;
}

export const handler = middy(refresh)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
