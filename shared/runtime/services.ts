import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { DynamoRateLimiter } from "#adapters/dynamo/DynamoRateLimiter.ts";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import { ItemRepository } from "#adapters/dynamo/ItemRepository.ts";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { createSqsClient, SqsSyncQueue } from "#adapters/queue/SqsSyncQueue.ts";
import { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { createS3Client } from "#adapters/s3/client.ts";
import { CatalogReader } from "#catalog/CatalogReader.ts";
import { CatalogService } from "#catalog/CatalogService.ts";
import { envNames, numberEnv, requireEnv, traktUrls } from "#config/env.ts";
import { catalogStore, traktWritePacing } from "#config/resources.ts";
import { RepairSchedule } from "#sync/repairSchedule.ts";
import { pacerLearning, RoundTrips, requestKind } from "#trakt/RoundTrips.ts";
import { TraktClient } from "#trakt/TraktClient.ts";
import { defaultRetryPolicy, type RetryPolicy, TraktUserSession } from "#trakt/TraktUserSession.ts";
import { traktCredentials } from "./traktCredentials.ts";

export interface Services {
  doc: DynamoDBDocumentClient;
  lists: ListRepository;
  items: ItemRepository;
  users: UserRepository;
  /** The catalog in S3, read through a per-container cache (needs CATALOG_BUCKET). */
  readonly catalog: CatalogService;
  readonly catalogBucket: CatalogBucket;
  pacer: DynamoWritePacer;
  rateLimiter: DynamoRateLimiter;
  queue: SqsSyncQueue;
  writeBatchSize: number;
  trakt(): Promise<TraktClient>;
  /** `maxSlotWaitMs`: defer the caller's sync rather than wait longer for a write slot (sync function). */
  sessionFor(userId: string, options?: { maxSlotWaitMs?: number }): Promise<TraktUserSession>;
}

let services: Services | undefined;

/** The adapters every handler uses, built once per container from the environment. */
export function getServices(): Services {
  services ??= buildServices();
  return services;
}

/** Forgets the built services (tests and the local stack change the environment between runs). */
export function resetServices(): void {
  services = undefined;
}

function buildServices(): Services {
  const tableName = requireEnv(envNames.tableName);
  const doc = createDocumentClient();
  const users = new UserRepository(doc, tableName);
  // Round trips of every Trakt answer this container got teach the pacer how much the way to Trakt varies.
  const roundTrips = new RoundTrips();
  const pacer = writePacer(doc, tableName, roundTrips);
  const trakt = once(() => traktClient(roundTrips));
  const catalogBucket = once(() => new CatalogBucket(createS3Client(), requireEnv(envNames.catalogBucket)));
  const catalog = once(
    () => new CatalogService(new CatalogReader(catalogBucket(), catalogStore.pointerTtlSeconds * 1000)),
  );
  return {
    doc,
    lists: new ListRepository(doc, tableName, Date.now, repairSchedule()),
    items: new ItemRepository(doc, requireEnv(envNames.itemsTableName)),
    users,
    get catalogBucket() {
      return catalogBucket();
    },
    get catalog() {
      return catalog();
    },
    pacer,
    rateLimiter: new DynamoRateLimiter(doc, tableName),
    queue: new SqsSyncQueue(createSqsClient(), requireEnv(envNames.syncQueueUrl)),
    writeBatchSize: Math.min(100, numberEnv(envNames.traktWriteBatchSize, 100)),
    trakt,
    sessionFor: async (userId, options = {}) => {
      const session = new TraktUserSession({
        client: await trakt(),
        auth: users,
        pacer,
        userId,
        retry: retryPolicy(),
        ...(options.maxSlotWaitMs === undefined ? {} : { maxSlotWaitMs: options.maxSlotWaitMs }),
      });
      // Callers mostly read their list before calling Trakt: the tokens load meanwhile.
      session.loadAuthAhead();
      return session;
    },
  };
}

/** Makes the value on first use and keeps it (clients and caches the container reuses). */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** The pacer of every Trakt write, with TRAKT_MIN_WRITE_INTERVAL_MS and the jitter the round trips show. */
function writePacer(
  doc: DynamoDBDocumentClient,
  tableName: string,
  roundTrips: RoundTrips,
): DynamoWritePacer {
  const { minIntervalMs, ...tuning } = traktWritePacing;
  return new DynamoWritePacer(doc, tableName, numberEnv(envNames.traktMinWriteIntervalMs, minIntervalMs), {
    tuning: { ...tuning, ...pacerLearning(roundTrips) },
  });
}

/** The Trakt client, once the credentials are read. */
function traktClient(roundTrips: RoundTrips): Promise<TraktClient> {
  return traktCredentials().then(
    ({ clientId, clientSecret }) =>
      new TraktClient({
        ...traktUrls(),
        clientId,
        clientSecret,
        timeoutMs: numberEnv(envNames.traktTimeoutMs, 20_000),
        onRequest: ({ method, path, status, ms }) => {
          if (typeof status === "number") roundTrips.record(ms, requestKind(method, path));
        },
      }),
  );
}

/** When lists become due for the backfill; REPAIR_DELAY_SCALE (tests, chaos) is read here, once. */
function repairSchedule(): RepairSchedule {
  return new RepairSchedule(numberEnv(envNames.repairDelayScale, 1));
}

/** The Trakt retry policy, from TRAKT_MAX_ATTEMPTS / TRAKT_RETRY_BASE_MS / TRAKT_RETRY_MAX_MS (defaults otherwise). */
export function retryPolicy(): RetryPolicy {
  return {
    ...defaultRetryPolicy,
    maxAttempts: Math.max(1, numberEnv(envNames.traktMaxAttempts, defaultRetryPolicy.maxAttempts)),
    baseDelayMs: numberEnv(envNames.traktRetryBaseMs, defaultRetryPolicy.baseDelayMs),
    maxDelayMs: numberEnv(envNames.traktRetryMaxMs, defaultRetryPolicy.maxDelayMs),
  };
}
