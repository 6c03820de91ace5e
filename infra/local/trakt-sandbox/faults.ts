import { seededRandom } from "#domain/seededRandom.ts";
import { httpError } from "./http.ts";
import type { FaultConfig, FaultKind, FaultMatch, FaultRule } from "./types.ts";

export const FAULT_KINDS: readonly FaultKind[] = [
  "error_before_apply",
  "error_after_apply",
  "headerless_429",
  "slow",
  "reset_connection",
  "truncated_read",
];

/** "before": evaluated when the request arrives; "after": only once a request was handled with a 2xx. */
export type FaultPhase = "before" | "after";

export interface FaultTarget {
  method: string;
  path: string;
  user?: string;
}

export interface FiredFault {
  rule: FaultRule;
  kind: FaultKind;
}

export interface FaultOutcome {
  /** Total delay of the fired rules. */
  delayMs: number;
  /** Every rule that fired, in order. */
  fired: FiredFault[];
  /** The rule that decides the answer (any kind but `slow`), if one fired. */
  terminal?: FiredFault;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  matchesPath: (path: string) => boolean;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random: () => number;
  private tokenTtlOverride: number | undefined;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  configure(config: FaultConfig): void {
    this.rules = config.rules.map((rule) => ({
      rule,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      matchesPath: pathMatcher(rule.match?.pathPattern),
    }));
    this.tokenTtlOverride = config.accessTokenTtlSeconds;
    if (config.seed !== undefined) this.random = seededRandom(config.seed);
  }

  clear(): void {
    this.rules = [];
    this.tokenTtlOverride = undefined;
  }

  get accessTokenTtlSeconds(): number | undefined {
    return this.tokenTtlOverride;
  }

  /** The current rules with how often each may still fire (`times` = remaining). */
  describe(): FaultConfig {
    return {
      rules: this.rules.map(({ rule, remaining }) => ({
        ...rule,
        ...(Number.isFinite(remaining) ? { times: remaining } : {}),
      })),
      ...(this.tokenTtlOverride === undefined ? {} : { accessTokenTtlSeconds: this.tokenTtlOverride }),
    };
  }

  evaluate(phase: FaultPhase, target: FaultTarget): FaultOutcome {
    const outcome: FaultOutcome = { delayMs: 0, fired: [] };
    for (const active of this.rules) {
      if (phaseOf(active.rule) !== phase || !this.fires(active, target)) continue;
      const fired = { rule: active.rule, kind: active.rule.kind };
      outcome.fired.push(fired);
      outcome.delayMs += active.rule.delayMs ?? 0;
      if (active.rule.kind !== "slow") {
        outcome.terminal = fired;
        break;
      }
    }
    return outcome;
  }

  private fires(active: ActiveRule, target: FaultTarget): boolean {
    if (active.remaining <= 0 || !matches(active, target)) return false;
    const probability = active.rule.probability ?? 1;
    if (probability < 1 && this.random() >= probability) return false;
    active.remaining -= 1;
    return true;
  }
}

function phaseOf(rule: FaultRule): FaultPhase {
  if (rule.kind === "error_after_apply" || rule.kind === "truncated_read") return "after";
  if ((rule.kind === "slow" || rule.kind === "reset_connection") && rule.afterApply) return "after";
  return "before";
}

function matches(active: ActiveRule, target: FaultTarget): boolean {
  const match: FaultMatch = active.rule.match ?? {};
  if (match.method && match.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (match.user && match.user !== target.user) return false;
  return active.matchesPath(target.path);
}

function pathMatcher(pattern: string | undefined): (path: string) => boolean {
  if (!pattern) return () => true;
  if (!pattern.includes("*")) return (path) => path.includes(pattern);
  const source = pattern
    .split("**")
    .map((part) => part.split("*").map(escapeRegExp).join("[^/]*"))
    .join(".*");
  const regex = new RegExp(`^${source}$`);
  return (path) => regex.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** Validates a fault configuration from the control API; 400 naming the first bad field. */
export function parseFaultConfig(body: unknown): FaultConfig {
  const object = expectObject(body, "body");
  const rules = object.rules ?? [];
  if (!Array.isArray(rules)) throw badField("rules", "must be an array");
  const config: FaultConfig = { rules: rules.map((rule, index) => parseRule(rule, `rules[${index}]`)) };
  if (object.accessTokenTtlSeconds !== undefined) {
    config.accessTokenTtlSeconds = expectNumber(object.accessTokenTtlSeconds, "accessTokenTtlSeconds", 0);
  }
  if (object.seed !== undefined) config.seed = expectNumber(object.seed, "seed", 0);
  return config;
}

function parseRule(value: unknown, field: string): FaultRule {
  const object = expectObject(value, field);
  const kind = object.kind;
  if (typeof kind !== "string" || !FAULT_KINDS.includes(kind as FaultKind)) {
    throw badField(`${field}.kind`, `must be one of ${FAULT_KINDS.join(", ")}`);
  }
  const rule: FaultRule = { kind: kind as FaultKind };
  if (object.match !== undefined) rule.match = parseMatch(object.match, `${field}.match`);
  if (object.status !== undefined) rule.status = expectNumber(object.status, `${field}.status`, 100, 599);
  if (object.delayMs !== undefined) rule.delayMs = expectNumber(object.delayMs, `${field}.delayMs`, 0);
  if (object.probability !== undefined) {
    rule.probability = expectNumber(object.probability, `${field}.probability`, 0, 1);
  }
  if (object.times !== undefined) rule.times = expectNumber(object.times, `${field}.times`, 0);
  if (object.afterApply !== undefined) rule.afterApply = object.afterApply === true;
  return rule;
}

function parseMatch(value: unknown, field: string): FaultMatch {
  const object = expectObject(value, field);
  const match: FaultMatch = {};
  for (const key of ["method", "pathPattern", "user"] as const) {
    const entry = object[key];
    if (entry === undefined) continue;
    if (typeof entry !== "string") throw badField(`${field}.${key}`, "must be a string");
    match[key] = entry;
  }
  return match;
}

function expectObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw badField(field, "must be an object");
  return value as Record<string, unknown>;
}

function expectNumber(value: unknown, field: string, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    throw badField(field, `must be a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ""}`);
  }
  return value;
}

function badField(field: string, problem: string) {
  return httpError(400, "bad_request", `${field} ${problem}`);
}
