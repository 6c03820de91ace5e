/**
 * Names shared by the CDK stack and the local stack: handlers, table indexes, queue settings.
 * One place, so the two ways of running the service cannot drift apart.
 */
export const handlerNames = [
  "api",
  "list-created",
  "list-deleted",
  "sync",
  "backfill",
  "catalog-ingest",
  "catalog-refresh",
] as const;
export type HandlerName = (typeof handlerNames)[number];

export const table = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Epoch seconds after which DynamoDB deletes the item (API rate-limit windows). */
  timeToLiveAttribute: "ttl",
  /**
   * The lists the backfill must look at, by when: lists that need repair, and synced lists whose
   * periodic drift check is due. The backfill queries only entries already due, so what it reads grows
   * with the lists needing attention, not with all lists. It projects just what the backfill needs, so
   * list updates that leave these attributes alone do not write the index.
   */
  repairIndex: {
    name: "repair-due",
    partitionKey: "repairShard",
    sortKey: "repairDueAt",
    projectedAttributes: ["userId", "listId", "syncState"],
  },
} as const;

export const syncQueue = {
  /** FIFO: messages of one list share a message group, so two syncs of a list never interleave. */
  fifo: true,
  /** Seconds a received message stays invisible; must cover the sync function's timeout. */
  visibilityTimeoutSeconds: 900,
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount: 5,
  batchSize: 5,
} as const;

export const streamMapping = {
  batchSize: 10,
  /**
   * Batches of one shard processed at once (Lambda's ParallelizationFactor, 1–10); one partition key (one user's
   * lists) stays in order. A list-created batch waits for its user's Trakt write slot: with one batch at a time,
   * one busy user held up every other user's new lists.
   */
  parallelizationFactor: 10,
  /** Retries of a failing stream batch before it goes to the on-failure destination. */
  retryAttempts: 5,
  maxRecordAgeSeconds: 3600,
} as const;

export const syncFunctionTimeoutSeconds = 840;

/** Measured with `npm run bench -- catalog` (1.4 M IMDb titles): see README "Catalog". */
export const catalogIngestFunction = { timeoutSeconds: 600 } as const;

/**
 * Timeout of each function (s): CDK sets it; the local stack gives it to the handlers' context and
 * enforces it on isolated invocations.
 */
export const functionTimeoutSeconds: Readonly<Record<HandlerName, number>> = {
  // API Gateway answers 503 after 30 s whatever the function does.
  api: 29,
  "list-created": 120,
  "list-deleted": 120,
  sync: syncFunctionTimeoutSeconds,
  backfill: 300,
  "catalog-ingest": catalogIngestFunction.timeoutSeconds,
  "catalog-refresh": 300,
};

/** Memory of each function (MB): CDK sets it, the bench prices GB-seconds with it. */
export const functionMemoryMb: Readonly<Record<HandlerName, number>> = {
  api: 512,
  "list-created": 256,
  "list-deleted": 256,
  sync: 1024,
  backfill: 256,
  // Sized from `npm run bench -- catalog`: 1.4 M titles took about 50 s and 0.85–1.03 GB; room for IMDb's real files.
  "catalog-ingest": 3_008,
  "catalog-refresh": 1_024,
};

/**
 * Most concurrent sync invocations the queue's event source starts: Trakt allows one write per
 * second per user anyway, and this keeps a flood of lists from taking the account's concurrency.
 */
export const syncMaxConcurrency = 20;
export const backfillScheduleMinutes = 10;

/**
 * The write pacer (see DynamoWritePacer): Trakt allows one write per `periodMs` per user, judged when a write
 * arrives. A write leaves at least `minIntervalMs` (TRAKT_MIN_WRITE_INTERVAL_MS) and at least the period plus a
 * margin after the previous one, plus `lateToleranceMs`. Until the previous write is answered the margin is the
 * round trips' jitter once learned (`initialMarginMs` for a user's first writes); once it is answered, how late its
 * round trip says it can have arrived (see RoundTrips.arrivalLatenessMs). Each 429 of Trakt's limiter
 * widens the user's margin by `widenMs` for every worker (up to `maxMarginMs`); each write halves what the margin
 * exceeds the learned jitter by (at least `shrinkMs` less).
 */
export const traktWritePacing = {
  periodMs: 1_000,
  minIntervalMs: 1_000,
  initialMarginMs: 300,
  widenMs: 100,
  shrinkMs: 10,
  maxMarginMs: 1_000,
  lateToleranceMs: 10,
} as const;

/** The catalog bucket's layout and the catalog's schedules (CDK and the local stack). */
export const catalogStore = {
  /** Source files dropped here are ingested; files of one import share a folder `incoming/<batch>/`. */
  incomingPrefix: "incoming/",
  /** The pointer to the version being served: written last, so a half-written version is never read. */
  pointerKey: "catalog/current.json",
  versionsPrefix: "catalog/versions/",
  /** One report per ingestion (`<batch>.json`), success or failure. */
  ingestReportsPrefix: "catalog/ingests/",
  /** Versions kept besides the current one (older ones are deleted after each publish). */
  keepVersions: 3,
  /** How long a warm function trusts the pointer it read for previews and searches; syncs always re-read it. */
  pointerTtlSeconds: 5,
} as const;

export const catalogRefresh = {
  /** In AWS the refresh rule runs every this many minutes: it continues an unfinished pass, and starts one daily or on a new version. */
  tickMinutes: 15,
  /** A new pass starts at most this often without a new version. */
  passIntervalSeconds: 86_400,
  maxListsPerRun: 2_000,
} as const;
