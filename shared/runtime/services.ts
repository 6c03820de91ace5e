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
import { RoundTrips } from "#trakt/RoundTrips.ts";
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
  const { minIntervalMs, ...tuning } = traktWritePacing;
  const pacer = new DynamoWritePacer(
    doc,
    tableName,
    numberEnv(envNames.traktMinWriteIntervalMs, minIntervalMs),
    {
      tuning: { ...tuning, arrivalJitterMs: () => roundTrips.jitterMs() },
    },
  );
  let client: Promise<TraktClient> | undefined;
  const trakt = () => {
    client ??= traktCredentials().then(
      ({ clientId, clientSecret }) =>
        new TraktClient({
          ...traktUrls(),
          clientId,
          clientSecret,
          timeoutMs: numberEnv(envNames.traktTimeoutMs, 20_000),
          onRequest: ({ status, ms }) => {
            if (typeof status === "number") roundTrips.record(ms);
          },
        }),
    );
    return client;
  };
  let catalogBucket: CatalogBucket | undefined;
  let catalog: CatalogService | undefined;
  const bucket = () => {
    catalogBucket ??= new CatalogBucket(createS3Client(), requireEnv(envNames.catalogBucket));
    return catalogBucket;
  };
  return {
    doc,
    lists: new ListRepository(doc, tableName),
    items: new ItemRepository(doc, tableName),
    users,
    get catalogBucket() {
      return bucket();
    },
    get catalog() {
      catalog ??= new CatalogService(new CatalogReader(bucket(), catalogStore.pointerTtlSeconds * 1000));
      return catalog;
    },
    pacer,
    rateLimiter: new DynamoRateLimiter(doc, tableName),
    queue: new SqsSyncQueue(createSqsClient(), requireEnv(envNames.syncQueueUrl)),
    writeBatchSize: Math.min(100, numberEnv(envNames.traktWriteBatchSize, 100)),
    trakt,
    sessionFor: async (userId, options = {}) =>
      new TraktUserSession({
        client: await trakt(),
        auth: users,
        pacer,
        userId,
        retry: retryPolicy(),
        ...(options.maxSlotWaitMs === undefined ? {} : { maxSlotWaitMs: options.maxSlotWaitMs }),
      }),
  };
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
