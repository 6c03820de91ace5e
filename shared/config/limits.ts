import { itemLimitBounds } from "#domain/list.ts";
import { envNames, numberEnv } from "./env.ts";

/** Per-user limits the API enforces; every limit in one place (README "Security"). */
export interface UserLimits {
  /** MAX_LISTS_PER_USER, default 100. */
  maxListsPerUser: number;
  /** API_RATE_LIMIT_PER_MINUTE, default 120; a fixed one-minute window counted in DynamoDB. */
  apiRequestsPerMinute: number;
  /** Items per manual list (and itemLimit of any list): 5,000. */
  maxItemsPerList: number;
  /** `force_full=true` is honoured at most once per list per this long. */
  forceFullCooldownMs: number;
  /** A queued sync request older than this no longer absorbs new ones (its message may be lost). */
  coalesceWindowMs: number;
}

export const limitDefaults = {
  maxListsPerUser: 100,
  apiRequestsPerMinute: 120,
} as const;

export function userLimits(): UserLimits {
  return {
    maxListsPerUser: positive(envNames.maxListsPerUser, limitDefaults.maxListsPerUser),
    apiRequestsPerMinute: positive(envNames.apiRateLimitPerMinute, limitDefaults.apiRequestsPerMinute),
    maxItemsPerList: itemLimitBounds.max,
    forceFullCooldownMs: 10 * 60_000,
    coalesceWindowMs: 15 * 60_000,
  };
}

function positive(name: string, fallback: number): number {
  const value = numberEnv(name, fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}
