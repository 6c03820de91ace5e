import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { type EventFilterPattern, listInsertedFilter, listRemovedFilter } from "#config/eventFilters.ts";
import { catalogStore, functionTimeoutSeconds, streamMapping, syncQueue } from "#config/resources.ts";
import { CatalogPoller } from "./catalogPoller.ts";
import { localContext } from "./lambdaContext.ts";
import { loadCheckpoints, saveCheckpoints } from "./localData.ts";
import { isolatedRuntime, type LocalFunctions } from "./localFunctions.ts";
import type { DataPaths, LocalResources, Log } from "./localResources.ts";
import { SqsPoller } from "./sqsPoller.ts";
import { StreamPoller } from "./streamPoller.ts";

/**
 * The event source mappings, run locally: the table's stream feeds list-created and list-deleted
 * (with CDK's filters), the sync queue feeds sync. With `data` the stream positions are kept, as
 * Lambda's mappings remember them.
 */
export function startFunctionPollers(
  functions: LocalFunctions,
  resources: LocalResources,
  options: { syncConcurrency: number; syncTimeoutSeconds: number },
  data: DataPaths,
): void {
  const checkpoints = data ? loadCheckpoints(data.checkpoints) : undefined;
  const pollers = [
    streamPoller(functions, resources, "list-created", listInsertedFilter, checkpoints),
    streamPoller(functions, resources, "list-deleted", listRemovedFilter, checkpoints),
    syncPoller(functions, resources, options.syncConcurrency, options.syncTimeoutSeconds),
  ];
  for (const poller of pollers) poller.start();
  functions.teardown.add(async () => {
    await Promise.all(pollers.map((poller) => poller.stop()));
    if (data && checkpoints) saveCheckpoints(data.checkpoints, checkpoints);
  });
  if (data && checkpoints)
    functions.teardown.repeatUntilStop(2_000, () => saveCheckpoints(data.checkpoints, checkpoints));
}

function streamPoller(
  functions: LocalFunctions,
  resources: LocalResources,
  name: "list-created" | "list-deleted",
  filter: EventFilterPattern,
  checkpoints: Map<string, string> | undefined,
): StreamPoller {
  const timeoutSeconds = functionTimeoutSeconds[name];
  return new StreamPoller(
    {
      functionName: name,
      handler: functions.handlers[name],
      streamArn: resources.streamArn,
      filter,
      batchSize: streamMapping.batchSize,
      retryAttempts: streamMapping.retryAttempts,
      timeoutSeconds,
      onFailure: { sqs: resources.sqs, queueUrl: resources.queues.streamFailures.url },
      invocations: functions.invocations,
      ...(checkpoints ? { checkpoints } : {}),
      runtime: isolatedRuntime(functions, name, streamMapping.parallelizationFactor, timeoutSeconds),
      parallelizationFactor: streamMapping.parallelizationFactor,
      chaos: functions.chaos,
      log: functions.log,
    },
    resources.dynamoEndpoint,
  );
}

function syncPoller(
  functions: LocalFunctions,
  resources: LocalResources,
  concurrency: number,
  timeoutSeconds: number,
): SqsPoller {
  return new SqsPoller({
    functionName: "sync",
    handler: functions.handlers.sync,
    sqs: resources.sqs,
    queueUrl: resources.queues.sync.url,
    queueArn: resources.queues.sync.arn,
    batchSize: syncQueue.batchSize,
    timeoutSeconds,
    concurrency,
    invocations: functions.invocations,
    runtime: isolatedRuntime(functions, "sync", concurrency, timeoutSeconds),
    chaos: functions.chaos,
    log: functions.log,
  });
}

/**
 * The catalog bucket's notifications, run locally: a poller ingests new files and refreshes after a
 * publish. Seeds the catalog from `seedPath` when no version is published yet. Returns the poller
 * and a refresh run as the schedule starts it (every `refreshIntervalSeconds`; 0: no schedule).
 */
export async function startCatalog(
  functions: LocalFunctions,
  bucket: CatalogBucket,
  seedPath: string,
  refreshIntervalSeconds: number,
) {
  const { handlers, invocations, log } = functions;
  const poller = new CatalogPoller({
    bucket,
    ingest: handlers["catalog-ingest"],
    refresh: handlers["catalog-refresh"],
    invocations,
    intervalMs: 500,
    log,
  });
  await poller.prime();
  await seedCatalog(bucket, poller, seedPath, log);
  poller.start();
  functions.teardown.add(() => poller.stop());
  const runRefresh = async () => {
    invocations.add("catalog-refresh");
    const context = localContext("catalog-refresh", functionTimeoutSeconds["catalog-refresh"]);
    return handlers["catalog-refresh"]({ source: "schedule" }, context);
  };
  if (refreshIntervalSeconds > 0) {
    functions.teardown.repeatUntilStop(refreshIntervalSeconds * 1000, () => {
      runRefresh()
        .then((report) => log(`catalog-refresh: ${JSON.stringify(report)}`))
        .catch((error) => log(`catalog-refresh failed: ${String(error)}`));
    });
  }
  return { poller, runRefresh };
}

/**
 * Seeds the catalog through the ingestion path, as `npm run catalog -- import` does: uploads the file
 * to `incoming/` and lets the ingest handler publish it. Does nothing when a version is published.
 */
async function seedCatalog(
  bucket: CatalogBucket,
  poller: CatalogPoller,
  path: string,
  log: Log,
): Promise<void> {
  if (await bucket.readPointer()) return;
  await bucket.put(
    `${catalogStore.incomingPrefix}seed/${basename(path)}`,
    readFileSync(path),
    "application/x-ndjson",
  );
  await poller.pollOnce();
  const pointer = await bucket.readPointer();
  if (!pointer)
    throw new Error(`The sample catalog ${path} was not ingested (see the catalog-ingest log above)`);
  log(`Catalog          version ${pointer.version}: ${pointer.titleCount} titles`);
}

/** A backfill run as the schedule starts it, and the schedule itself (every `intervalSeconds`; 0: none, no overlap). */
export function scheduleBackfill(functions: LocalFunctions, intervalSeconds: number): () => Promise<unknown> {
  const { handlers, invocations, log } = functions;
  const runBackfill = async () =>
    invocations.time("backfill", () =>
      handlers.backfill({}, localContext("backfill", functionTimeoutSeconds.backfill)),
    );
  if (intervalSeconds > 0) {
    let running = false;
    functions.teardown.repeatUntilStop(intervalSeconds * 1000, () => {
      if (running) return;
      running = true;
      runBackfill()
        .then((report) => log(`backfill: ${JSON.stringify(report)}`))
        .catch((error) => log(`backfill failed: ${String(error)}`))
        .finally(() => {
          running = false;
        });
    });
  }
  return runBackfill;
}
