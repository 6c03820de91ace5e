import type { SQSClient } from "@aws-sdk/client-sqs";
import type { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { functionTimeoutSeconds } from "#config/resources.ts";
import { sampleCatalogPath } from "../catalog/generateSampleCatalog.ts";
import type { TraktSandbox, TraktSandboxOptions } from "../trakt-sandbox/TraktSandbox.ts";
import { ChaosControl, type ChaosOptions } from "./chaos.ts";
import { type ApiRuntime, startHttpApi } from "./httpApi.ts";
import { InvocationCounter } from "./lambdaContext.ts";
import { localDataPaths } from "./localData.ts";
import { scheduleBackfill, startCatalog, startFunctionPollers } from "./localEventSources.ts";
import { functionWorkers, type LocalFunctions, loadHandlers } from "./localFunctions.ts";
import { localSigningKey, signLocalToken } from "./localJwt.ts";
import { type LocalResources, startResources, stateOf, type TraktSettings } from "./localResources.ts";
import { publishStackState } from "./stackState.ts";
import { Teardown } from "./teardown.ts";
import { inProcessRuntime } from "./workerInvoker.ts";

export interface LocalStackOptions {
  /** API port; 0 picks a free one. */
  port?: number;
  /** Use this DynamoDB (e.g. a shared DynamoDB Local) instead of starting one. */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Default: the table's name followed by `-items`. */
  itemsTableName?: string;
  /** Real Trakt (or another stand-in): when unset the sandbox is started. */
  trakt?: TraktSettings;
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
  /**
   * Run the HTTP API's invocations in this many worker threads, each with its own event loop as each Lambda
   * container has its own; requests beyond wait for a free one. Default 0: in this thread, beside the pollers and
   * the functions they invoke, where a burst of `POST /lists` holds up their timers (the syncs' write slots).
   */
  apiWorkers?: number;
  /** Modules every worker thread imports before its handler (the benchmark's DynamoDB capacity meter). */
  workerPreload?: readonly URL[];
  /** The sync function's timeout (default `functionTimeoutSeconds.sync`, 840 s); enforced only with `isolateInvocations`. */
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
  itemsTableName: string;
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
  const teardown = new Teardown(log);
  try {
    const data = options.dataDir ? localDataPaths(options.dataDir) : undefined;
    const resources = await startResources(options, data, teardown, log);
    const functions: LocalFunctions = {
      handlers: await loadHandlers(resources, options),
      invocations: new InvocationCounter(),
      chaos: new ChaosControl(options.chaos),
      isolate: options.isolateInvocations ?? false,
      workerPreload: options.workerPreload ?? [],
      teardown,
      log,
    };
    const syncConcurrency = options.syncConcurrency ?? 8;
    const syncTimeoutSeconds = options.syncTimeoutSeconds ?? functionTimeoutSeconds.sync;
    startFunctionPollers(functions, resources, { syncConcurrency, syncTimeoutSeconds }, data);
    const catalogPath = options.catalogPath ?? sampleCatalogPath;
    const catalog = await startCatalog(
      functions,
      resources.catalogBucket,
      catalogPath,
      options.catalogRefreshIntervalSeconds ?? 0,
    );
    const runBackfill = scheduleBackfill(functions, options.backfillIntervalSeconds ?? 0);
    const signingKey = localSigningKey();
    const apiUrl = await startApi(functions, resources, signingKey, options);
    const state = { ...stateOf(resources), apiUrl };
    if (options.stateFile) publishStackState(options.stateFile, state, teardown);
    return {
      apiUrl,
      sandbox: resources.sandbox,
      traktApiUrl: state.traktApiUrl,
      dynamoEndpoint: state.dynamoEndpoint,
      sqsEndpoint: state.sqsEndpoint,
      sqs: resources.sqs,
      s3Endpoint: state.s3Endpoint,
      catalogBucket: resources.catalogBucket,
      ingestCatalog: () => catalog.poller.pollOnce(),
      runCatalogRefresh: catalog.runRefresh,
      tableName: state.tableName,
      itemsTableName: state.itemsTableName,
      queues: state.queues,
      invocations: functions.invocations,
      chaos: functions.chaos,
      token: (userId) => signLocalToken(userId, signingKey),
      runBackfill,
      stop: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

/** The HTTP API (and the web page, with `webDir`); the sandbox's list view stands in for trakt.tv. */
async function startApi(
  functions: LocalFunctions,
  resources: LocalResources,
  signingKey: Uint8Array,
  options: LocalStackOptions,
): Promise<string> {
  const { sandbox } = resources;
  const workers = options.apiWorkers ?? 0;
  const runtime: ApiRuntime =
    workers > 0
      ? functionWorkers(functions, "api", workers, functionTimeoutSeconds.api)
      : inProcessRuntime("api", functions.handlers.api, functionTimeoutSeconds.api);
  functions.teardown.add(() => runtime.stop());
  const http = await startHttpApi({
    port: options.port ?? 3000,
    runtime,
    ...(workers > 0 ? { concurrency: workers } : {}),
    signingKey,
    invocations: functions.invocations,
    ...(options.webDir ? { webDir: options.webDir } : {}),
    ...(sandbox ? { traktListUrl: `${sandbox.url}/_sandbox/users/{user}/lists` } : {}),
  });
  functions.teardown.add(() => http.stop());
  functions.log(`API              ${http.url}`);
  return http.url;
}
