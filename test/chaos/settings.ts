/** The chaos scenario's settings: its size, the chaos it makes, the stack's timing (CI size and `npm run chaos`). */
export interface ChaosSettings {
  users: number;
  listsPerUser: number;
  minItems: number;
  maxItems: number;
  /** Length of the chaos phase: faults, kills, duplicates and the users' edits. */
  chaosSeconds: number;
  /** Most time allowed, after quiet time starts, for everything to converge. */
  convergeSeconds: number;
  /** A random in-flight invocation is killed every this many ms (uniform in the range). */
  killEveryMs: [number, number];
  /** A user edit every this many ms (uniform in the range), across all users. */
  editEveryMs: [number, number];
  /** Multiplies the fault probabilities (0: no faults). */
  faultRate: number;
  /** Lifetime of access tokens issued during the run (Trakt's: 7 days). */
  tokenTtlSeconds: number;
  /** The sandbox's network latency, round trip (`150±100`): every answer, faults or not. */
  latency: string;
  duplicateDeliveryProbability: number;
  duplicateSendProbability: number;
  syncConcurrency: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a sync message goes to the DLQ (production: 5; lower, the DLQ → backfill path runs more). */
  maxReceiveCount: number;
  syncTimeoutSeconds: number;
  repairDelayScale: number;
  /** The backfill runs this often (the schedule, compressed). */
  backfillEveryMs: number;
  seed: number;
  dynamoEndpoint?: string;
  /** Handler log level (POWERTOOLS_LOG_LEVEL). */
  logLevel: string;
  log: (line: string) => void;
}

/** The CI size: must finish within ~3 minutes on a 2-core machine. */
export const ciSettings: Omit<ChaosSettings, "log"> = {
  users: 3,
  listsPerUser: 3,
  minItems: 40,
  maxItems: 120,
  chaosSeconds: 40,
  convergeSeconds: 100,
  killEveryMs: [1_500, 4_000],
  editEveryMs: [800, 2_000],
  faultRate: 1,
  tokenTtlSeconds: 3,
  latency: "100±80",
  duplicateDeliveryProbability: 0.3,
  duplicateSendProbability: 0.05,
  syncConcurrency: 4,
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 3,
  syncTimeoutSeconds: 25,
  repairDelayScale: 0.02,
  backfillEveryMs: 3_000,
  seed: 7,
  logLevel: "ERROR",
};

/** Settings from CHAOS_* variables over `base`. */
export function settingsFromEnv(
  base: Omit<ChaosSettings, "log">,
  env: NodeJS.ProcessEnv = process.env,
): Omit<ChaosSettings, "log"> {
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
    return value;
  };
  const items = number("CHAOS_ITEMS", base.maxItems);
  const killEvery = env.CHAOS_KILL_EVERY_MS?.split("-").map(Number);
  return {
    ...base,
    users: number("CHAOS_USERS", base.users),
    listsPerUser: number("CHAOS_LISTS", base.listsPerUser),
    minItems: Math.min(number("CHAOS_MIN_ITEMS", base.minItems), items),
    maxItems: items,
    chaosSeconds: number("CHAOS_SECONDS", base.chaosSeconds),
    convergeSeconds: number("CHAOS_CONVERGE_SECONDS", base.convergeSeconds),
    faultRate: number("CHAOS_FAULT_RATE", base.faultRate),
    tokenTtlSeconds: number("CHAOS_TOKEN_TTL_SECONDS", base.tokenTtlSeconds),
    latency: env.CHAOS_LATENCY_MS ?? base.latency,
    duplicateDeliveryProbability: base.duplicateDeliveryProbability * number("CHAOS_DUPLICATE_RATE", 1),
    duplicateSendProbability: base.duplicateSendProbability * number("CHAOS_DUPLICATE_RATE", 1),
    killEveryMs: killEvery?.every(Number.isFinite)
      ? [killEvery[0]!, killEvery[1] ?? killEvery[0]!]
      : base.killEveryMs,
    syncConcurrency: number("CHAOS_SYNC_CONCURRENCY", base.syncConcurrency),
    repairDelayScale: number("CHAOS_REPAIR_DELAY_SCALE", base.repairDelayScale),
    seed: number("CHAOS_SEED", base.seed),
    logLevel: env.CHAOS_LOG_LEVEL ?? base.logLevel,
  };
}
