import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { purgeUser } from "../../shared/account/deleteAccount.ts";
import { readListOrDeadLetter } from "../../shared/runtime/deadLetters.ts";
import { logger, metrics, tracer } from "../../shared/runtime/observability.ts";
import { getServices } from "../../shared/runtime/services.ts";
import { deleteTraktTwin } from "../../shared/sync/deleteTraktTwin.ts";

/** A deleted list: delete its Trakt list and its stored items. Failures retry via the stream. */
async function onListRemoved(record: DynamoDBRecord): Promise<void> {
  const removed = await readListOrDeadLetter(record, "OldImage");
  if (!removed) return;
  const services = getServices();
  const outcome = removed.keepTraktList
    ? "kept"
    : await deleteTraktTwin(removed, () => services.sessionFor(removed.userId));
  const itemsDeleted = await services.items.deleteAll(removed.listId);
  // During an account deletion the last list's run deletes the profile and its Trakt tokens.
  if (await services.users.settleListDeletion(removed.userId, removed.listId)) {
    await purgeUser(services, removed.userId);
    logger.info("Account deleted", { userId: removed.userId });
  }
  // Records of a batch are processed in parallel: keys go on each line, not on the shared logger.
  logger.info("List removed", { userId: removed.userId, listId: removed.listId, outcome, itemsDeleted });
  metrics.addMetric("TraktListDeleted", MetricUnit.Count, outcome === "deleted" ? 1 : 0);
}

export const handler = middy((event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, onListRemoved, new BatchProcessor(EventType.DynamoDBStreams), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
