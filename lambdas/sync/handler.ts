import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { envNames, numberEnv } from "#config/env.ts";
import { syncQueue } from "#config/resources.ts";
import { logger, metrics, tracer } from "#observability/observability.ts";
import { getServices } from "#runtime/services.ts";
import { type SyncListDeps, syncList } from "#sync/syncList.ts";
import { syncRequestSchema } from "#sync/syncRequest.ts";

/** What the sync function uses of the services (getServices() in Lambda; fakes of the ports in unit tests). */
export interface SyncFunctionServices
  extends Pick<SyncListDeps, "lists" | "items" | "catalog" | "writeBatchSize"> {
  queue: { returnLater(receiptHandle: string, delaySeconds: number): Promise<void> };
  sessionFor(userId: string, options: { maxSlotWaitMs: number }): Promise<SyncListDeps["session"]>;
}

/**
 * One sync request. A failure worth retrying fails the record, so SQS delivers it again (then the
 * DLQ, then the backfill); a failure that needs the user (auth, account limits) is recorded on the
 * list and the message is done.
 */
export async function onSyncRequest(record: SQSRecord, given?: SyncFunctionServices): Promise<void> {
  let request: ReturnType<typeof syncRequestSchema.parse>;
  try {
    request = syncRequestSchema.parse(JSON.parse(record.body));
  } catch (error) {
    logger.error("Malformed sync message; it goes to the dead-letter queue after its retries", {
      messageId: record.messageId,
      body: record.body.slice(0, 500),
      error,
    });
    throw error;
  }
  logger.appendKeys({ userId: request.userId, listId: request.listId });
  const services = given ?? getServices();
  const outcome = await syncList(
    {
      lists: services.lists,
      items: services.items,
      catalog: services.catalog,
      session: await services.sessionFor(request.userId, { maxSlotWaitMs: slotWaitFor(record) }),
      writeBatchSize: services.writeBatchSize,
    },
    request,
  );
  if (outcome.status === "deferred") {
    // No Lambda time spent asleep: the message comes back when the user's write slot is near.
    logger.info("Sync deferred until the user's next Trakt write slot", { delayMs: outcome.delayMs });
    metrics.addMetric("SyncDeferred", MetricUnit.Count, 1);
    await services.queue.returnLater(record.receiptHandle, outcome.delayMs / 1000);
    throw new Error(`Sync deferred by ${outcome.delayMs} ms`);
  }
  if (outcome.status === "failed") {
    logger.warn("Sync failed", { reason: request.reason, failure: outcome.failure, error: outcome.error });
    metrics.addMetric("SyncFailed", MetricUnit.Count, 1);
    if (outcome.failure.retry) throw outcome.error;
    return;
  }
  if (outcome.status === "skipped") {
    logger.info("Sync skipped", { reason: request.reason, skipped: outcome.reason });
    return;
  }
  const { result } = outcome;
  logger.info("Sync finished", { reason: request.reason, ...result, notFound: result.notFound.length });
  metrics.addMetric("SyncSucceeded", MetricUnit.Count, 1);
  metrics.addMetric("ItemsAdded", MetricUnit.Count, result.added);
  metrics.addMetric("ItemsRemoved", MetricUnit.Count, result.removed);
}

/**
 * How long this delivery may wait for a write slot: TRAKT_MAX_SLOT_WAIT_MS (5 s), except on the
 * last delivery before the dead-letter queue, which waits as long as it takes rather than be lost.
 */
function slotWaitFor(record: SQSRecord): number {
  const receives = Number(record.attributes.ApproximateReceiveCount ?? "1");
  if (receives >= numberEnv(envNames.syncMaxReceiveCount, syncQueue.maxReceiveCount) - 1) {
    return Number.POSITIVE_INFINITY;
  }
  return numberEnv(envNames.traktMaxSlotWaitMs, 5_000);
}

// A processor per invocation: it holds the batch's state, and the local stack runs invocations concurrently.
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    (record: SQSRecord) => onSyncRequest(record),
    new SqsFifoPartialProcessorAsync(),
    {
      context,
      skipGroupOnError: true,
    },
  ),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
