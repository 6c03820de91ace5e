/**
 * Every environment variable the service reads, in one place. Handlers and scripts read
 * configuration through these functions only.
 */
export const envNames = {
  tableName: "TABLE_NAME",
  /** The list items' table (no stream: item writes never reach the stream handlers). */
  itemsTableName: "ITEMS_TABLE_NAME",
  syncQueueUrl: "SYNC_QUEUE_URL",
  /** Where stream handlers dead-letter records they cannot read (the stream mappings' on-failure queue). */
  streamFailuresQueueUrl: "STREAM_FAILURES_QUEUE_URL",
  dynamoEndpoint: "DYNAMODB_ENDPOINT",
  sqsEndpoint: "SQS_ENDPOINT",
  traktApiUrl: "TRAKT_API_URL",
  traktAuthUrl: "TRAKT_AUTH_URL",
  traktClientId: "TRAKT_CLIENT_ID",
  traktClientSecret: "TRAKT_CLIENT_SECRET",
  traktCredentialsSecretArn: "TRAKT_CREDENTIALS_SECRET_ARN",
  traktWriteBatchSize: "TRAKT_WRITE_BATCH_SIZE",
  traktMinWriteIntervalMs: "TRAKT_MIN_WRITE_INTERVAL_MS",
  traktTimeoutMs: "TRAKT_TIMEOUT_MS",
  /** Tries per Trakt call for 5xx, network errors and 429s (retry policy of `TraktUserSession`). */
  traktMaxAttempts: "TRAKT_MAX_ATTEMPTS",
  /** First backoff of that retry policy; it doubles per try, with full jitter, up to TRAKT_RETRY_MAX_MS. */
  traktRetryBaseMs: "TRAKT_RETRY_BASE_MS",
  traktRetryMaxMs: "TRAKT_RETRY_MAX_MS",
  /** Longest a sync waits for its user's next write slot; beyond, its message returns later (default 5000). */
  traktMaxSlotWaitMs: "TRAKT_MAX_SLOT_WAIT_MS",
  /** Deliveries of a sync message before its dead-letter queue (set by CDK and the local stack). */
  syncMaxReceiveCount: "SYNC_MAX_RECEIVE_COUNT",
  backfillIntervalSeconds: "BACKFILL_INTERVAL_SECONDS",
  /** Most lists one backfill run examines; the next run continues with the rest (default 1000). */
  backfillMaxLists: "BACKFILL_MAX_LISTS",
  /** Multiplies every repair delay of the backfill (tests and demos shorten them; 1 in production). */
  repairDelayScale: "REPAIR_DELAY_SCALE",
  port: "PORT",
  /** The catalog bucket (snapshots under `catalog/`, source files dropped under `incoming/`). */
  catalogBucket: "CATALOG_BUCKET",
  /** Points the S3 client at the local emulator (fauxqs); unset in AWS. */
  s3Endpoint: "S3_ENDPOINT",
  /** Local stack: seconds between catalog refresh runs (CDK runs it daily). */
  catalogRefreshIntervalSeconds: "CATALOG_REFRESH_INTERVAL_SECONDS",
  /** Most custom lists one catalog refresh run evaluates; the next run continues where it stopped. */
  catalogRefreshMaxLists: "CATALOG_REFRESH_MAX_LISTS",
  /** Most lists one user may have (API answers 403 quota_exceeded beyond). */
  maxListsPerUser: "MAX_LISTS_PER_USER",
  /** API requests one user may make per minute, across every Lambda instance (429 beyond). */
  apiRateLimitPerMinute: "API_RATE_LIMIT_PER_MINUTE",
  /** KMS key (id or ARN) whose data keys encrypt Trakt tokens (set by CDK). */
  tokenKmsKeyId: "TOKEN_KMS_KEY_ID",
  /** Local master key for Trakt tokens when no KMS key is set (default `.local/token-key`). */
  tokenKeyFile: "TOKEN_KEY_FILE",
} as const;

export type EnvName = keyof typeof envNames;

/**
 * The variables that carry `values`, each named as `envNames` names it; unset values are left out.
 * CDK and the local stack build the functions' environment with it.
 */
export function environmentFor(values: Partial<Record<EnvName, string | undefined>>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(values) as [EnvName, string | undefined][]) {
    if (value !== undefined) environment[envNames[name]] = value;
  }
  return environment;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`Environment variable ${name} is required`);
  }
  return value;
}

export function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`Environment variable ${name} must be a number, got "${raw}"`);
  return value;
}

/** Most lists one backfill run examines (BACKFILL_MAX_LISTS, default 1000); the next run continues with the rest. */
export function backfillMaxLists(): number {
  return numberEnv(envNames.backfillMaxLists, 1_000);
}

/** Trakt's own addresses: the API and OAuth defaults (functions and CDK), and where a user's list lives on trakt.tv. */
export const traktDefaults = {
  apiUrl: "https://api.trakt.tv",
  authUrl: "https://auth.trakt.tv",
  listUrl: "https://trakt.tv/users/{user}/lists/{list}",
} as const;

/**
 * Trakt's base URLs from TRAKT_API_URL / TRAKT_AUTH_URL. When only the API URL is set and it is not
 * Trakt's own, OAuth goes to the same host (stand-ins and the sandbox serve both on one host).
 */
export function traktUrls(env: NodeJS.ProcessEnv = process.env): { apiUrl: string; authUrl: string } {
  const apiUrl = env[envNames.traktApiUrl] || traktDefaults.apiUrl;
  const authUrl =
    env[envNames.traktAuthUrl] || (apiUrl === traktDefaults.apiUrl ? traktDefaults.authUrl : apiUrl);
  // In AWS tokens and the client secret travel to these URLs: plain http is refused.
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    for (const [name, url] of [
      [envNames.traktApiUrl, apiUrl],
      [envNames.traktAuthUrl, authUrl],
    ] as const) {
      requireHttps(name, url);
    }
  }
  return { apiUrl, authUrl };
}

/** Throws unless `url` is an https URL. */
export function requireHttps(name: string, url: string): void {
  if (!URL.canParse(url) || new URL(url).protocol !== "https:") {
    throw new Error(`${name} must be an https URL, got "${url}"`);
  }
}
