import { seededRandom } from "#domain/seededRandom.ts";
import type { RunningInvocation, WorkerPool } from "./workerInvoker.ts";

export interface ChaosOptions {
  /** Chance that a poller delivers a batch a second time (same records) after the first invocation returned. */
  duplicateDeliveryProbability?: number;
  /**
   * Chance per received message that a copy is sent to the queue again (a producer retrying a send).
   * Only messages that are JSON are copied: a malformed one was not sent by our producers.
   */
  duplicateSendProbability?: number;
  /** Seed of the chaos PRNG (default 1), so a run's choices repeat. */
  seed?: number;
}

/** What pollers ask before delivering: at-least-once delivery, made to happen. */
export interface PollerChaos {
  /** True when this batch is to be delivered a second time. */
  duplicateDelivery(functionName: string): boolean;
  /** True when a copy of this queue message is to be sent again. */
  duplicateSend(functionName: string, body: string): boolean;
}

export interface ChaosCounts {
  /** Invocations killed by `killRandomInvocation`, by function. */
  kills: Record<string, number>;
  /** Invocations killed for running past the function's timeout. */
  timeouts: number;
  /** Workers that died by themselves. */
  crashes: number;
  /** Batches delivered twice, by function. */
  duplicateDeliveries: Record<string, number>;
  /** Sync messages sent twice. */
  duplicateSends: number;
  /** Workers started (initial ones and replacements). */
  workersStarted: number;
}

/**
 * The local stack's chaos controls: kills of isolated invocations at arbitrary points and duplicated
 * deliveries, with counts for the chaos report. Kills need `isolateInvocations: true`.
 */
export class ChaosControl implements PollerChaos {
  private options: ChaosOptions;
  private readonly random: () => number;
  private readonly pools: WorkerPool<unknown, unknown>[] = [];
  private readonly kills: Record<string, number> = {};
  private readonly duplicates: Record<string, number> = {};
  private duplicateSends = 0;

  constructor(options: ChaosOptions = {}) {
    this.options = options;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Changes the duplicate probabilities (e.g. 0 for quiet time). */
  configure(options: Omit<ChaosOptions, "seed">): void {
    this.options = { ...this.options, ...options };
  }

  register(pool: WorkerPool<never, unknown>): void {
    this.pools.push(pool as unknown as WorkerPool<unknown, unknown>);
  }

  /** Invocations in flight (isolated ones only). */
  running(functionName?: string): RunningInvocation[] {
    return this.pools
      .filter((pool) => functionName === undefined || pool.functionName === functionName)
      .flatMap((pool) => pool.running());
  }

  /**
   * Kills one invocation in flight, chosen at random (optionally of one function): its worker is
   * terminated wherever it is, the poller sees a failed invocation. Undefined when none was running.
   */
  killRandomInvocation(options: { functionName?: string } = {}): RunningInvocation | undefined {
    if (this.pools.length === 0) throw new Error("killRandomInvocation needs isolateInvocations: true");
    const running = this.running(options.functionName);
    if (running.length === 0) return undefined;
    const victim = running[Math.floor(this.random() * running.length)]!;
    const pool = this.pools.find((p) => p.functionName === victim.functionName)!;
    if (!pool.kill(victim.slot)) return undefined;
    this.kills[victim.functionName] = (this.kills[victim.functionName] ?? 0) + 1;
    return victim;
  }

  duplicateDelivery(functionName: string): boolean {
    const p = this.options.duplicateDeliveryProbability ?? 0;
    if (p <= 0 || this.random() >= p) return false;
    this.duplicates[functionName] = (this.duplicates[functionName] ?? 0) + 1;
    return true;
  }

  duplicateSend(_functionName: string, body: string): boolean {
    const p = this.options.duplicateSendProbability ?? 0;
    if (p <= 0 || !isJson(body) || this.random() >= p) return false;
    this.duplicateSends++;
    return true;
  }

  counts(): ChaosCounts {
    return {
      kills: { ...this.kills },
      timeouts: this.pools.reduce((sum, pool) => sum + pool.counts.timedOut, 0),
      crashes: this.pools.reduce((sum, pool) => sum + pool.counts.crashed, 0),
      duplicateDeliveries: { ...this.duplicates },
      duplicateSends: this.duplicateSends,
      workersStarted: this.pools.reduce((sum, pool) => sum + pool.counts.workersStarted, 0),
    };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
