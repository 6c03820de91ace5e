import type { FaultKind, UserStats } from "./types.ts";

export const ANONYMOUS = "(anonymous)";

/** Per-user counters for assertions and the benchmark. */
export class StatsRecorder {
  private readonly byUser = new Map<string, UserStats>();

  request(user: string | undefined, method: string): void {
    increment(this.of(user).requests, method);
  }

  response(user: string | undefined, status: number): void {
    const stats = this.of(user);
    increment(stats.responses, String(status));
    if (status === 429) stats.rateLimited += 1;
    if (status === 420) stats.limitExceeded += 1;
  }

  acceptedWrite(user: string): void {
    this.of(user).acceptedWrites += 1;
  }

  fault(user: string | undefined, kind: FaultKind): void {
    const faults = this.of(user).faults;
    faults[kind] = (faults[kind] ?? 0) + 1;
  }

  snapshot(): Record<string, UserStats> {
    return structuredClone(Object.fromEntries(this.byUser));
  }

  private of(user: string | undefined): UserStats {
    const key = user ?? ANONYMOUS;
    let stats = this.byUser.get(key);
    if (!stats) {
      stats = {
        requests: {},
        responses: {},
        acceptedWrites: 0,
        rateLimited: 0,
        limitExceeded: 0,
        faults: {},
      };
      this.byUser.set(key, stats);
    }
    return stats;
  }
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
