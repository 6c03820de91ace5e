/** Public types of the Trakt sandbox: options, fault configuration, snapshots and statistics. */
import type { Latency } from "./latency.ts";

export type { Latency } from "./latency.ts";

export interface UserLimits {
  listCount: number;
  itemCount: number;
}

export interface GetLimit {
  limit: number;
  periodSeconds: number;
}

export interface TraktSandboxOptions {
  /** 0 (default) picks a random free port. */
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** Minimum gap between two accepted writes of one user (default 1000). */
  writeIntervalMs?: number;
  /** Authenticated GETs per user and period (default 500 per 300 s). */
  getLimit?: GetLimit;
  /** Lifetime of issued access tokens (default 7 days). */
  accessTokenTtlSeconds?: number;
  /** Limits of users created without explicit limits (default 100 lists × 5000 items). */
  defaultLimits?: UserLimits;
  /** Device-flow polling interval handed to clients (default 1 s). */
  deviceIntervalSeconds?: number;
  /** Device-code lifetime (default 600 s). */
  deviceCodeTtlSeconds?: number;
  /** When true, 420 answers carry a JSON body and X-Account-Limit headers; default false (empty body, no headers). */
  verbose420?: boolean;
  /**
   * Network latency added to every Trakt answer, as `150±100` (round trip base ± jitter, ms), a plain number, or
   * `{baseMs, jitterMs}` (default none). The way there and the way back are drawn independently, each half of it;
   * the rate limiter judges a request when it arrives.
   */
  latency?: Latency | string | number;
  /** Seed of the PRNG used for fault probabilities (default 1). */
  seed?: number;
}

export type FaultKind =
  | "error_before_apply"
  | "error_after_apply"
  | "headerless_429"
  | "slow"
  | "reset_connection"
  | "truncated_read";

export interface FaultMatch {
  method?: string;
  /** Substring of the path, or a glob when it contains `*` (`*` = one path segment's characters, `**` = anything). */
  pathPattern?: string;
  /** Slug of the Trakt user the request acts for. */
  user?: string;
}

export interface FaultRule {
  match?: FaultMatch;
  kind: FaultKind;
  /** Status of error faults (default 503). */
  status?: number;
  /** Delay of `slow` faults; with other kinds, a delay before the fault answers. */
  delayMs?: number;
  /** Chance (0..1) that a matching request fires the rule (default 1). */
  probability?: number;
  /** How many times the rule fires; omitted = unlimited. */
  times?: number;
  /** For `slow` and `reset_connection`: act after the write was applied instead of before. */
  afterApply?: boolean;
}

export interface FaultConfig {
  rules: FaultRule[];
  /** Overrides the lifetime of tokens issued while this configuration is active. */
  accessTokenTtlSeconds?: number;
  /** Re-seeds the PRNG when given. */
  seed?: number;
}

export interface TokenGrant {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  refresh_token: string;
  scope: "public";
  created_at: number;
}

export interface UserGrant extends TokenGrant {
  slug: string;
}

export interface CreateUserOptions {
  vip?: boolean;
  limits?: Partial<UserLimits>;
}

export interface WriteLogEntry {
  /** Acceptance time, ms since epoch. */
  at: number;
  method: string;
  path: string;
  user: string;
  /** Status the sandbox answered (after any fault). */
  status: number;
}

export interface UserStats {
  requests: Record<string, number>;
  responses: Record<string, number>;
  acceptedWrites: number;
  rateLimited: number;
  limitExceeded: number;
  faults: Partial<Record<FaultKind, number>>;
}

export interface SandboxConfigPatch {
  writeIntervalMs?: number;
  accessTokenTtlSeconds?: number;
  getLimit?: GetLimit;
  deviceIntervalSeconds?: number;
  verbose420?: boolean;
  latency?: Latency | string | number;
}

export interface UnknownIds {
  movies?: number[];
  shows?: number[];
}

export interface TraktUserJson {
  username: string;
  private: boolean;
  name: string;
  vip: boolean;
  vip_ep: boolean;
  ids: { slug: string };
}

export interface TitleJson {
  title: string;
  year: number;
  ids: { trakt: number; slug: string; imdb: string; tmdb: number; tvdb?: number };
}

export interface ListItemJson {
  rank: number;
  id: number;
  listed_at: string;
  notes: null;
  type: "movie" | "show";
  movie?: TitleJson;
  show?: TitleJson;
}

export interface ListJson {
  name: string;
  description: string | null;
  privacy: string;
  share_link: string;
  type: "personal";
  display_numbers: boolean;
  allow_comments: boolean;
  sort_by: string;
  sort_how: string;
  created_at: string;
  updated_at: string;
  item_count: number;
  comment_count: number;
  likes: number;
  ids: { trakt: number; slug: string };
  user: TraktUserJson;
}

/** A list with all its items in rank order, as `GET /_sandbox/users/:slug/lists` returns it. */
export interface SandboxListSnapshot extends ListJson {
  items: ListItemJson[];
}
