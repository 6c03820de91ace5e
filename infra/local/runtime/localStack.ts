import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { CreateTableCommand, DescribeTableCommand, ResourceInUseException } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { tableDefinition } from "#adapters/dynamo/tableDefinition.ts";
import { createSqsClient } from "#adapters/queue/SqsSyncQueue.ts";
import { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { createS3Client } from "#adapters/s3/client.ts";
import { envNames } from "#config/env.ts";
import { listInsertedFilter, listRemovedFilter } from "#config/eventFilters.ts";
import { catalogStore, streamMapping, syncQueue } from "#config/resources.ts";
import { resetServices } from "#runtime/services.ts";
import { sampleCatalogPath } from "../catalog/generateSampleCatalog.ts";
import {
  startTraktSandbox,
  type TraktSandbox,
  type TraktSandboxOptions,
} from "../trakt-sandbox/TraktSandbox.ts";
import { CatalogPoller } from "./catalogPoller.ts";
import { ChaosControl, type ChaosOptions } from "./chaos.ts";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamoDbLocal.ts";
import { startHttpApi } from "./httpApi.ts";
import { InvocationCounter, localContext } from "./lambdaContext.ts";
import { loadCheckpoints, localDataPaths, saveCheckpoints } from "./localData.ts";
import { localSigningKey, signLocalToken } from "./localJwt.ts";
import { SqsPoller } from "./sqsPoller.ts";
import { StreamPoller } from "./streamPoller.ts";
import { WorkerPool } from "./workerInvoker.ts";

export interface LocalStackOptions {
  /** API port; 0 picks a free one. */
  port?: number;
  /** Use this DynamoDB (e.g. a shared DynamoDB Local) instead of starting one. */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Real Trakt (or another stand-in): when unset the sandbox is started. */
  trakt?: { apiUrl: string; authUrl: string; clientId: string; clientSecret: string };
  sandbox?: TraktSandboxOptions;
  /** The catalog file(s) `npm start` seeds through the ingestion when no version is published (default: the sample). */
  catalogPath?: string;
  /** Seconds between catalog refresh runs; 0 turns the schedule off (a new version still triggers one). */
  catalogRefreshIntervalSeconds?: number;
  /** Seconds between scheduled backfill runs; 0 turns the schedule off. */
  backfillIntervalSeconds?: number;
  /** Concurrent sync invocations. */
  syncConcurrency?: number;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  /** Gap our pacer keeps between two writes of one Trakt user. */
  minWriteIntervalMs?: number;
  /**
   * Run every stream and sync invocation in a worker thread (one long-lived worker per concurrency
   * slot), so `chaos.killRandomInvocation()` can kill it mid-flight and the function timeout is enforced.
   */
  isolateInvocations?: boolean;
  /** The sync function's timeout (default 840 s); enforced only with `isolateInvocations`. */
  syncTimeoutSeconds?: number;
  /** Duplicated deliveries and sends by the pollers (chaos runs). */
  chaos?: ChaosOptions;
  /** Extra environment for the handlers (log level, retry tuning…). */
  env?: Record<string, string>;
  /** Where to describe the running stack for `npm run backfill|verify|redrive|import-lists` (npm start sets it). */
  stateFile?: string;
  /** Keep DynamoDB, the queues, the sandbox and the stream positions here across runs (npm start); unset: in memory. */
  dataDir?: string;
  /** Serve the web page from this folder (web/dist) on the API's origin, with the local sign-in route. */
  webDir?: string;
  log?: (message: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  sandbox: TraktSandbox | undefined;
  traktApiUrl: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  sqs: SQSClient;
  s3Endpoint: string;
  catalogBucket: CatalogBucket;
  /** Ingests whatever arrived in `incoming/` now (the poller does it every half second anyway). */
  ingestCatalog(): Promise<void>;
  /** Runs the catalog refresh handler once, as its schedule does. */
  runCatalogRefresh(): Promise<unknown>;
  tableName: string;
  queues: { sync: string; syncDlq: string; streamFailures: string };
  invocations: InvocationCounter;
  /** Kills of isolated invocations, duplicated deliveries, and their counts. */
  chaos: ChaosControl;
  /** A bearer token for `userId`, as `npm run token` prints. */
  token(userId: string): Promise<string>;
  /** Runs the backfill handler once, as the schedule does. */
  runBackfill(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The whole service on one machine: DynamoDB Local, the SQS emulator, the Trakt sandbox (unless
 * real Trakt is configured), the HTTP API, and pollers that invoke the very handlers Lambda runs,
 * with the same event filters, batch sizes and partial-failure semantics.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`stop failed: ${String(error)}`));
  };
  try {
    const data = options.dataDir ? localDataPaths(options.dataDir) : undefined;
    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      const dynamo: DynamoDbLocal = await startDynamoDbLocal(data ? { path: data.dynamo } : {});
      stops.push(() => dynamo.stop());
      dynamoEndpoint = dynamo.endpoint;
    }
    log(`DynamoDB Local   ${dynamoEndpoint}`);

    if (data) mkdirSync(data.fauxqs, { recursive: true });
    const fauxqs: FauxqsServer = await startFauxqs({
      port: 0,
      logger: false,
      host: "127.0.0.1",
      ...(data ? { dataDir: data.fauxqs } : {}),
    });
    stops.push(() => fauxqs.stop());
    const sqsEndpoint = fauxqs.address;
    const sqs = createSqsClient(sqsEndpoint);
    stops.push(async () => sqs.destroy());
    const queues = await createQueues(sqs, options);
    log(`SQS (fauxqs)     ${sqsEndpoint}`);

    let sandbox: TraktSandbox | undefined;
    let trakt = options.trakt;
    if (!trakt) {
      const started = await startTraktSandbox({ port: 0, ...options.sandbox });
      sandbox = started;
      stops.push(() => started.stop());
      if (data) keepSandboxState(started, data.sandbox, stops, log);
      trakt = {
        apiUrl: started.url,
        authUrl: started.url,
        clientId: started.clientId,
        clientSecret: started.clientSecret,
      };
    }
    log(`Trakt            ${trakt.apiUrl}${sandbox ? " (sandbox)" : ""}`);

    const tableName = options.tableName ?? "trakt-list-sync";
    const doc = createDocumentClient(dynamoEndpoint);
    stops.push(async () => doc.destroy());
    const streamArn = await ensureTable(doc, tableName);
    const s3 = createS3Client(sqsEndpoint);
    stops.push(async () => s3.destroy());
    const catalogBucketName = "trakt-list-sync-catalog";
    await s3.send(new CreateBucketCommand({ Bucket: catalogBucketName }));
    const catalogBucket = new CatalogBucket(s3, catalogBucketName);

    Object.assign(process.env, {
      [envNames.tableName]: tableName,
      [envNames.syncQueueUrl]: queues.sync.url,
      [envNames.streamFailuresQueueUrl]: queues.streamFailures.url,
      [envNames.dynamoEndpoint]: dynamoEndpoint,
      [envNames.sqsEndpoint]: sqsEndpoint,
      [envNames.s3Endpoint]: sqsEndpoint,
      [envNames.catalogBucket]: catalogBucketName,
      [envNames.traktApiUrl]: trakt.apiUrl,
      [envNames.traktAuthUrl]: trakt.authUrl,
      [envNames.traktClientId]: trakt.clientId,
      [envNames.traktClientSecret]: trakt.clientSecret,
      ...(options.minWriteIntervalMs === undefined
        ? {}
        : { [envNames.traktMinWriteIntervalMs]: String(options.minWriteIntervalMs) }),
      [envNames.syncMaxReceiveCount]: String(options.maxReceiveCount ?? syncQueue.maxReceiveCount),
      AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? "true",
      ...(options.catalogRefreshIntervalSeconds
        ? { [envNames.catalogRefreshIntervalSeconds]: String(options.catalogRefreshIntervalSeconds) }
        : {}),
      ...options.env,
    });
    resetServices();

    const [api, listCreated, listDeleted, sync, backfill, catalogIngest, catalogRefreshHandler] =
      await Promise.all([
        import("#lambdas/api/handler.ts"),
        import("#lambdas/list-created/handler.ts"),
        import("#lambdas/list-deleted/handler.ts"),
        import("#lambdas/sync/handler.ts"),
        import("#lambdas/backfill/handler.ts"),
        import("#lambdas/catalog-ingest/handler.ts"),
        import("#lambdas/catalog-refresh/handler.ts"),
      ]);
    const invocations = new InvocationCounter();
    const onFailure = { sqs, queueUrl: queues.streamFailures.url };
    const chaos = new ChaosControl(options.chaos);
    const checkpoints = data ? loadCheckpoints(data.checkpoints) : undefined;
    const syncConcurrency = options.syncConcurrency ?? 8;
    const syncTimeoutSeconds = options.syncTimeoutSeconds ?? 840;
    const isolated = <E, R>(
      functionName: string,
      handlerPath: string,
      size: number,
      timeoutSeconds: number,
    ) => {
      if (!options.isolateInvocations) return undefined;
      const pool = new WorkerPool<E, R>({
        functionName,
        moduleUrl: new URL(handlerPath, import.meta.url),
        size,
        timeoutSeconds,
        log,
      });
      chaos.register(pool);
      return pool;
    };
    const streamPollers = [
      new StreamPoller(
        {
          functionName: "list-created",
          handler: listCreated.handler,
          streamArn,
          filter: listInsertedFilter,
          batchSize: streamMapping.batchSize,
          retryAttempts: streamMapping.retryAttempts,
          timeoutSeconds: 120,
          onFailure,
          invocations,
          ...(checkpoints ? { checkpoints } : {}),
          runtime: isolated(
            "list-created",
            "../../../lambdas/list-created/handler.ts",
            streamMapping.parallelizationFactor,
            120,
          ),
          parallelizationFactor: streamMapping.parallelizationFactor,
          chaos,
          log,
        },
        dynamoEndpoint,
      ),
      new StreamPoller(
        {
          functionName: "list-deleted",
          handler: listDeleted.handler,
          streamArn,
          filter: listRemovedFilter,
          batchSize: streamMapping.batchSize,
          retryAttempts: streamMapping.retryAttempts,
          timeoutSeconds: 120,
          onFailure,
          invocations,
          ...(checkpoints ? { checkpoints } : {}),
          runtime: isolated(
            "list-deleted",
            "../../../lambdas/list-deleted/handler.ts",
            streamMapping.parallelizationFactor,
            120,
          ),
          parallelizationFactor: streamMapping.parallelizationFactor,
          chaos,
          log,
        },
        dynamoEndpoint,
      ),
    ];
    const syncPoller = new SqsPoller({
      functionName: "sync",
      handler: sync.handler,
      sqs,
      queueUrl: queues.sync.url,
      queueArn: queues.sync.arn,
      batchSize: syncQueue.batchSize,
      timeoutSeconds: syncTimeoutSeconds,
      concurrency: syncConcurrency,
      invocations,
      runtime: isolated("sync", "../../../lambdas/sync/handler.ts", syncConcurrency, syncTimeoutSeconds),
      chaos,
      log,
    });
    for (const poller of streamPollers) poller.start();
    syncPoller.start();
    stops.push(async () => {
      await Promise.all([...streamPollers.map((p) => p.stop()), syncPoller.stop()]);
      if (data && checkpoints) saveCheckpoints(data.checkpoints, checkpoints);
    });
    if (data && checkpoints) {
      const timer = setInterval(() => saveCheckpoints(data.checkpoints, checkpoints), 2_000);
      stops.push(async () => clearInterval(timer));
    }

    const catalogPoller = new CatalogPoller({
      bucket: catalogBucket,
      ingest: catalogIngest.handler,
      refresh: catalogRefreshHandler.handler,
      invocations,
      intervalMs: 500,
      log,
    });
    await catalogPoller.prime();
    await seedCatalog(catalogBucket, catalogPoller, options.catalogPath ?? sampleCatalogPath, log);
    catalogPoller.start();
    stops.push(() => catalogPoller.stop());
    const runCatalogRefresh = async () => {
      invocations.add("catalog-refresh");
      return catalogRefreshHandler.handler({ source: "schedule" }, localContext("catalog-refresh", 300));
    };
    const refreshInterval = options.catalogRefreshIntervalSeconds ?? 0;
    if (refreshInterval > 0) {
      const timer = setInterval(() => {
        runCatalogRefresh()
          .then((report) => log(`catalog-refresh: ${JSON.stringify(report)}`))
          .catch((error) => log(`catalog-refresh failed: ${String(error)}`));
      }, refreshInterval * 1000);
      stops.push(async () => clearInterval(timer));
    }

    const runBackfill = async () => {
      return invocations.time("backfill", () => backfill.handler({}, localContext("backfill", 300)));
    };
    const interval = options.backfillIntervalSeconds ?? 0;
    if (interval > 0) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        runBackfill()
          .then((report) => log(`backfill: ${JSON.stringify(report)}`))
          .catch((error) => log(`backfill failed: ${String(error)}`))
          .finally(() => {
            running = false;
          });
      }, interval * 1000);
      stops.push(async () => clearInterval(timer));
    }

    const signingKey = localSigningKey();
    const http = await startHttpApi({
      port: options.port ?? 3000,
      handler: api.handler,
      signingKey,
      invocations,
      ...(options.webDir ? { webDir: options.webDir } : {}),
      ...(sandbox ? { traktListUrl: `${sandbox.url}/_sandbox/users/{user}/lists` } : {}),
    });
    stops.push(() => http.stop());
    log(`API              ${http.url}`);

    if (options.stateFile) {
      const stateFile = options.stateFile;
      writeStackState(stateFile, {
        apiUrl: http.url,
        traktApiUrl: trakt.apiUrl,
        traktAuthUrl: trakt.authUrl,
        traktClientId: trakt.clientId,
        traktClientSecret: trakt.clientSecret,
        dynamoEndpoint,
        sqsEndpoint,
        s3Endpoint: sqsEndpoint,
        catalogBucket: catalogBucketName,
        tableName,
        queues: {
          sync: queues.sync.url,
          syncDlq: queues.syncDlq.url,
          streamFailures: queues.streamFailures.url,
        },
      });
      stops.push(async () => rmSync(stateFile, { force: true }));
    }

    return {
      apiUrl: http.url,
      sandbox,
      traktApiUrl: trakt.apiUrl,
      dynamoEndpoint,
      sqsEndpoint,
      sqs,
      s3Endpoint: sqsEndpoint,
      catalogBucket,
      ingestCatalog: () => catalogPoller.pollOnce(),
      runCatalogRefresh,
      tableName,
      queues: {
        sync: queues.sync.url,
        syncDlq: queues.syncDlq.url,
        streamFailures: queues.streamFailures.url,
      },
      invocations,
      chaos,
      token: (userId) => signLocalToken(userId, signingKey),
      runBackfill,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Loads the sandbox's saved state and saves it every 2 s and when the stack stops. */
function keepSandboxState(
  sandbox: TraktSandbox,
  path: string,
  stops: (() => Promise<void>)[],
  log: (message: string) => void,
): void {
  if (sandbox.loadState(path)) log(`Trakt sandbox    state restored from ${path}`);
  const timer = setInterval(() => sandbox.saveState(path), 2_000);
  timer.unref();
  stops.push(async () => {
    clearInterval(timer);
    sandbox.saveState(path);
  });
}

async function createQueues(sqs: SQSClient, options: LocalStackOptions) {
  const create = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const url = QueueUrl!;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
    );
    return { url, arn: Attributes!.QueueArn! };
  };
  const fifo = { FifoQueue: "true", ContentBasedDeduplication: "false" };
  const syncDlq = await create("sync-dlq.fifo", { ...fifo, MessageRetentionPeriod: "1209600" });
  const sync = await create("sync.fifo", {
    ...fifo,
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 60),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: syncDlq.arn,
      maxReceiveCount: String(options.maxReceiveCount ?? syncQueue.maxReceiveCount),
    }),
  });
  const streamFailures = await create("stream-failures", {});
  return { sync, syncDlq, streamFailures };
}

async function ensureTable(doc: ReturnType<typeof createDocumentClient>, tableName: string): Promise<string> {
  try {
    await doc.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (;;) {
    const { Table } = await doc.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE" && Table.LatestStreamArn) return Table.LatestStreamArn;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Seeds the catalog through the ingestion path, as `npm run catalog -- import` does: uploads the file
 * to `incoming/` and lets the ingest handler publish it. Does nothing when a version is published.
 */
async function seedCatalog(
  bucket: CatalogBucket,
  poller: CatalogPoller,
  path: string,
  log: (message: string) => void,
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

/** What scripts need to reach a running local stack (written by `npm start`, removed when it stops). */
export interface LocalStackState {
  apiUrl: string;
  traktApiUrl: string;
  traktAuthUrl: string;
  traktClientId: string;
  traktClientSecret: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  catalogBucket: string;
  tableName: string;
  queues: { sync: string; syncDlq: string; streamFailures: string };
}

export const defaultStateFile = resolve(process.cwd(), ".local/stack.json");

function writeStackState(path: string, state: LocalStackState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(state, null, 2), { mode: 0o600 });
}
