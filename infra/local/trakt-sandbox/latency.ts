import { seededRandom } from "#domain/seededRandom.ts";

/** Network latency the sandbox adds to every Trakt answer: a round trip of `baseMs` ± `jitterMs`. */
export interface Latency {
  baseMs: number;
  jitterMs: number;
}

export const NO_LATENCY: Latency = { baseMs: 0, jitterMs: 0 };

/**
 * Parses `TRAKT_SANDBOX_LATENCY_MS` / `BENCH_LATENCY_MS` values: `150±100` (also `150+-100`, `150+/-100`), or a
 * plain `150` (no jitter). Undefined for anything else.
 */
export function parseLatency(text: string): Latency | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:(?:±|\+-|\+\/-)\s*(\d+(?:\.\d+)?))?\s*(?:ms)?\s*$/.exec(text);
  if (!match) return undefined;
  const baseMs = Number(match[1]);
  const jitterMs = Math.min(baseMs, Number(match[2] ?? 0));
  return { baseMs, jitterMs };
}

export function formatLatency({ baseMs, jitterMs }: Latency): string {
  return jitterMs > 0 ? `${baseMs}±${jitterMs} ms` : `${baseMs} ms`;
}

/**
 * The way there and the way back are drawn independently, each half of the round trip (uniform in
 * (base ± jitter) / 2): round trips then span base ± jitter, averaging base, and a client cannot tell from a
 * round trip how much of it was the way there. The rate limiter sees a request only after its way there,
 * like Trakt behind Cloudflare. (Splitting one draw in two equal halves would let a client read the arrival
 * time off the round trip, which no real network allows.)
 */
export class LatencyModel {
  private readonly random: () => number;

  constructor(seed: number) {
    // Its own PRNG, so latency does not shift which requests the fault rules pick.
    this.random = seededRandom(seed ^ 0x5bd1e995);
  }

  oneWayMs({ baseMs, jitterMs }: Latency): number {
    if (baseMs <= 0) return 0;
    return Math.max(0, (baseMs + (this.random() * 2 - 1) * jitterMs) / 2);
  }
}
