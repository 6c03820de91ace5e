import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { logger, metrics, tracer } from "#observability/observability.ts";
import { readListOrDeadLetter } from "#runtime/deadLetters.ts";
import { getServices } from "#runtime/services.ts";
import { ensureTraktList } from "#sync/ensureTraktList.ts";
import { recordFailure } from "#sync/recordFailure.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";

/** A new list: create its Trakt list (exactly one), then queue its first full sync. */
async function onListInserted(record: DynamoDBRecord): Promise<void> {
  const inserted = await readListOrDeadLetter(record, "NewImage");
  if (!inserted) return;
  const { userId, listId } = inserted;
  // Records of a batch are processed in parallel: keys go on each line, not on the shared logger.
  const keys = { userId, listId };
  const { lists, queue, sessionFor } = getServices();
  // The list's current version and the user's session (its tokens load meanwhile), side by side.
  const [read, session] = await Promise.allSettled([lists.get(userId, listId), sessionFor(userId)]);
  if (read.status === "rejected") throw read.reason;
  const list = read.value;
  if (!list) {
    logger.info("List deleted before its Trakt list was created; nothing to do", keys);
    return;
  }
  // A session that cannot be had (no Trakt credentials) is recorded on the list like any other failure.
  const outcome =
    session.status === "fulfilled"
      ? await ensureTraktList({ lists, session: session.value }, list)
      : await recordFailure(lists, userId, listId, session.reason);
  if (outcome.status === "failed") {
    logger.warn("Could not create the Trakt list", {
      ...keys,
      failure: outcome.failure,
      error: outcome.error,
    });
    if (outcome.failure.retry) throw outcome.error;
    return;
  }
  logger.info("Trakt list ready", { ...keys, traktListId: outcome.traktListId });
  metrics.addMetric("TraktListEnsured", MetricUnit.Count, 1);
  await queue.enqueue(newSyncRequest(userId, listId, "created", { forceFull: true }));
}

export const handler = middy((event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, onListInserted, new BatchProcessor(EventType.DynamoDBStreams), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
