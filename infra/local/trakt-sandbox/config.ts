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
  seed: 1,
};

export function resolveConfig(options: TraktSandboxOptions = {}): SandboxConfig {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return {
    ...DEFAULTS,
    ...defined,
    getLimit: { ...DEFAULTS.getLimit, ...options.getLimit },
    defaultLimits: { ...DEFAULTS.defaultLimits, ...options.defaultLimits },
  };
}
