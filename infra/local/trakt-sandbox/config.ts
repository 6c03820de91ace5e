import { type Latency, NO_LATENCY, parseLatency } from "./latency.ts";
import type { GetLimit, TraktSandboxOptions, UserLimits } from "./types.ts";

export interface SandboxConfig {
  host: string;
  port: number;
  clientId: string;
  clientSecret: string;
  writeIntervalMs: number;
  getLimit: GetLimit;
  accessTokenTtlSeconds: number;
  defaultLimits: UserLimits;
  deviceIntervalSeconds: number;
  deviceCodeTtlSeconds: number;
  verbose420: boolean;
  /** Added to every Trakt answer (not to `/_sandbox`): half on the way there, half on the way back. */
  latency: Latency;
  seed: number;
}

export const DEFAULTS: SandboxConfig = {
  host: "127.0.0.1",
  port: 0,
  clientId: "sandbox-client-id",
  clientSecret: "sandbox-client-secret",
  writeIntervalMs: 1000,
  getLimit: { limit: 500, periodSeconds: 300 },
  accessTokenTtlSeconds: 7 * 24 * 60 * 60,
  defaultLimits: { listCount: 100, itemCount: 5000 },
  deviceIntervalSeconds: 1,
  deviceCodeTtlSeconds: 600,
  verbose420: false,
  latency: NO_LATENCY,
  seed: 1,
};

export function resolveConfig(options: TraktSandboxOptions = {}): SandboxConfig {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return {
    ...DEFAULTS,
    ...defined,
    getLimit: { ...DEFAULTS.getLimit, ...options.getLimit },
    defaultLimits: { ...DEFAULTS.defaultLimits, ...options.defaultLimits },
    latency: toLatency(options.latency),
  };
}

/** A latency option: `{baseMs, jitterMs}`, a number of ms, or text like `150±100`; 400 naming the field when bad. */
export function toLatency(value: Latency | string | number | undefined): Latency {
  if (value === undefined) return NO_LATENCY;
  if (typeof value === "number") return parseLatency(String(value)) ?? invalidLatency(value);
  if (typeof value === "string") return parseLatency(value) ?? invalidLatency(value);
  const { baseMs, jitterMs } = value;
  if (!(baseMs >= 0) || !(jitterMs >= 0)) return invalidLatency(JSON.stringify(value));
  return { baseMs, jitterMs: Math.min(baseMs, jitterMs) };
}

function invalidLatency(value: unknown): never {
  throw new Error(`latency must look like 150±100 or 150 (ms), got "${String(value)}"`);
}
