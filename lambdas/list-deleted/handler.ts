import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { purgeUser } from "#account/deleteAccount.ts";
import { logger, metrics, tracer } from "#observability/observability.ts";
import { readListOrDeadLetter } from "#runtime/deadLetters.ts";
import { getServices } from "#runtime/services.ts";
import { creationLeaseInOldImage } from "#runtime/streamImages.ts";
import { deleteTraktTwin } from "#sync/deleteTraktTwin.ts";

/** A deleted list: record its tombstone, delete its Trakt list and its stored items. Failures retry via the stream. */
async function onListRemoved(record: DynamoDBRecord): Promise<void> {
  const removed = await readListOrDeadLetter(record, "OldImage");
  if (!removed) return;
  const services = getServices();
  const { lists, items, sessionFor } = services;
  const { userId, listId } = removed;
  // First the proof that this install deleted the list: only with it may the backfill ever sweep its Trakt list.
  // A create still in flight under the record's lease may land after deleteTraktTwin looked: the sweep waits for it.
  await lists.recordTombstone(removed, new Date().toISOString(), creationLeaseInOldImage(record));
  const owner = { installId: await lists.installId(), userId };
  // An account deletion with keepTraktLists=true leaves the Trakt list alone.
  const result = removed.keepTraktList
    ? { outcome: "kept" as const }
    : await deleteTraktTwin(removed, owner, () => sessionFor(userId));
  const itemsDeleted = await items.deleteAll(listId);
  // During an account deletion the last list's run deletes the profile and its Trakt tokens.
  if (await services.users.settleListDeletion(userId, listId)) {
    await purgeUser(services, userId);
    logger.info("Account deleted", { userId });
  }
  // Records of a batch are processed in parallel: keys go on each line, not on the shared logger.
  if (result.outcome === "deleted") {
    logger.info("Trakt list deleted", {
      userId,
      listId,
      traktListId: result.traktListId,
      name: result.name,
      reason: "its list was deleted",
    });
  }
  logger.info("List removed", { userId, listId, outcome: result.outcome, itemsDeleted });
  metrics.addMetric("TraktListDeleted", MetricUnit.Count, result.outcome === "deleted" ? 1 : 0);
}

export const handler = middy((event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, onListRemoved, new BatchProcessor(EventType.DynamoDBStreams), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
