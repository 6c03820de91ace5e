/** Operations of the control API, shared by the `/_sandbox` routes and the programmatic `TraktSandbox` methods. */
import type { SandboxConfig } from "./config.ts";
import { toLatency } from "./config.ts";
import { HttpError, httpError } from "./http.ts";
import type { Latency } from "./latency.ts";
import { allItemsJson } from "./listItems.ts";
import { listJson } from "./lists.ts";
import type { Runtime } from "./state.ts";
import { SandboxState, tokenTtlSeconds } from "./state.ts";
import type {
  CreateUserOptions,
  FaultConfig,
  SandboxConfigPatch,
  SandboxListSnapshot,
  UnknownIds,
  UserGrant,
  UserLimits,
  UserStats,
  WriteLogEntry,
} from "./types.ts";
import { ensureUser, findUser, setLimits } from "./users.ts";

/** Creates the user (or updates `vip`/`limits` of an existing one) and issues a fresh token pair. */
export function createUser(runtime: Runtime, slug: string, options: CreateUserOptions = {}): UserGrant {
  const user = ensureUser(runtime, slug, options);
  return {
    slug: user.slug,
    ...runtime.state.tokens.issue(user.slug, runtime.now(), tokenTtlSeconds(runtime)),
  };
}

const APPROVAL_ERRORS = {
  not_found: [404, "Unknown user_code."],
  expired: [410, "The device code has expired."],
  used: [409, "The device code was already used."],
} as const;

/** Approves a pending device code for `slug` (created when needed). */
export function approveDevice(runtime: Runtime, userCode: string, slug: string): void {
  ensureUser(runtime, slug);
  const outcome = runtime.state.devices.approve(userCode, slug, runtime.now());
  if (outcome !== "ok") throw httpError(APPROVAL_ERRORS[outcome][0], outcome, APPROVAL_ERRORS[outcome][1]);
}

export function denyDevice(runtime: Runtime, userCode: string): void {
  const outcome = runtime.state.devices.deny(userCode, runtime.now());
  if (outcome !== "ok") throw httpError(APPROVAL_ERRORS[outcome][0], outcome, APPROVAL_ERRORS[outcome][1]);
}

/** Every list of the user with all items in rank order; undefined when the user does not exist. */
export function listsOf(runtime: Runtime, slug: string): SandboxListSnapshot[] | undefined {
  const user = findUser(runtime, slug);
  return user?.lists.map((list) => ({ ...listJson(list, user, runtime), items: allItemsJson(list) }));
}

export function writeLog(runtime: Runtime, slug?: string): WriteLogEntry[] {
  return runtime.state.writes
    .filter((entry) => slug === undefined || entry.user === slug)
    .map((entry) => ({ ...entry }));
}

export function stats(runtime: Runtime): Record<string, UserStats> {
  return runtime.state.stats.snapshot();
}

export function setFaults(runtime: Runtime, config: FaultConfig): void {
  runtime.state.faults.configure(config);
}

export function clearFaults(runtime: Runtime): void {
  runtime.state.faults.clear();
}

export function configure(runtime: Runtime, patch: SandboxConfigPatch): SandboxConfig {
  Object.assign(runtime.config, validateConfigPatch(patch));
  return runtime.config;
}

export function markUnknown(runtime: Runtime, ids: UnknownIds): void {
  runtime.state.markUnknown("movie", ids.movies ?? []);
  runtime.state.markUnknown("show", ids.shows ?? []);
}

export function setUserLimits(runtime: Runtime, slug: string, limits: Partial<UserLimits>): UserLimits {
  const user = findUser(runtime, slug);
  if (!user) throw httpError(404, "not_found", `User ${slug} not found.`);
  setLimits(user, limits);
  return user.limits;
}

/** Makes every access token of the user expired, so its next API call answers 401. */
export function expireTokens(runtime: Runtime, slug: string): number {
  return runtime.state.tokens.expireAll(slug);
}

/** Forgets everything (users, lists, tokens, faults, logs, stats) and restores the start-up configuration. */
export function reset(runtime: Runtime, initialConfig: SandboxConfig): void {
  runtime.config = structuredClone(initialConfig);
  runtime.state = new SandboxState(initialConfig.seed);
}

function validateConfigPatch(patch: unknown): SandboxConfigPatch {
  if (typeof patch !== "object" || patch === null)
    throw httpError(400, "bad_request", "config must be an object");
  const input = patch as Record<string, unknown>;
  const valid: SandboxConfigPatch = {};
  if (input.writeIntervalMs !== undefined)
    valid.writeIntervalMs = nonNegative(input.writeIntervalMs, "writeIntervalMs");
  if (input.accessTokenTtlSeconds !== undefined) {
    valid.accessTokenTtlSeconds = nonNegative(input.accessTokenTtlSeconds, "accessTokenTtlSeconds");
  }
  if (input.deviceIntervalSeconds !== undefined) {
    valid.deviceIntervalSeconds = nonNegative(input.deviceIntervalSeconds, "deviceIntervalSeconds");
  }
  if (input.verbose420 !== undefined) valid.verbose420 = input.verbose420 === true;
  if (input.latency !== undefined) {
    try {
      valid.latency = toLatency(input.latency as string | number | Latency);
    } catch (error) {
      throw httpError(400, "bad_request", (error as Error).message);
    }
  }
  if (input.getLimit !== undefined) {
    const getLimit = input.getLimit as Record<string, unknown> | null;
    valid.getLimit = {
      limit: nonNegative(getLimit?.limit, "getLimit.limit"),
      periodSeconds: nonNegative(getLimit?.periodSeconds, "getLimit.periodSeconds"),
    };
  }
  return valid;
}

function nonNegative(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw httpError(400, "bad_request", `${field} must be a non-negative number`);
  }
  return value;
}

/** Converts a control error into an exception for programmatic callers. */
export function asError(error: unknown): unknown {
  if (!(error instanceof HttpError)) return error;
  const json = error.reply.json as { error_description?: string; error?: string } | undefined;
  return new Error(
    `Trakt sandbox: ${json?.error_description ?? json?.error ?? `HTTP ${error.reply.status}`}`,
  );
}
