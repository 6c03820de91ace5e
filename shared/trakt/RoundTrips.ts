/**
 * Round trips of recent Trakt requests (this container's, all users: they share the network to Trakt), by kind of
 * request. The write pacer's margin comes from how much they vary: a write reaches Trakt its way-there later than
 * it leaves, and only that way-there's jitter can bring two writes sent a period apart closer together at Trakt.
 *
 * Each round trip is compared with the median of its own kind (`GET /users/me/lists`, `POST …/items`, …): Trakt
 * takes longer to add 100 items than to list the lists, and that difference is work on Trakt's side, not jitter
 * on the way there. The spread is read from the interquartile range, so a few slow answers (a busy Trakt, a busy
 * CPU here) do not widen every gap; the 429s they may cause widen the shared margin instead (see the pacer).
 */
export class RoundTrips {
  private readonly byKind = new Map<string, number[]>();
  private readonly size: number;

  /** `size`: round trips kept per kind, the most recent ones. */
  constructor(size = 64) {
    this.size = size;
  }

  record(ms: number, kind = "any"): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    let samples = this.byKind.get(kind);
    if (!samples) {
      samples = [];
      this.byKind.set(kind, samples);
    }
    samples.push(ms);
    if (samples.length > this.size) samples.shift();
  }

  get count(): number {
    let total = 0;
    for (const samples of this.byKind.values()) total += samples.length;
    return total;
  }

  /**
   * How much later than another write one write may arrive, from `settledAfter` round trips on (of kinds seen at
   * least `minPerKind` times); undefined before (the pacer keeps its initial margin).
   *
   * When the way there and the way back vary alike and independently, the difference between two writes' ways
   * there varies as much as one round trip does around its typical value. Writes are to land too close together
   * less than 1% of the time. A normal spread would need 2.33 standard deviations for that; networks and busy
   * machines have heavier tails (2.33 drew 1–2% 429s in the bench), so the margin is 3 standard deviations, the
   * deviation estimated robustly as the interquartile range of the round trips' deviations / 1.349.
   */
  jitterMs(settledAfter = 8): number | undefined {
    const { deviations } = this.deviationsFromTypical();
    if (deviations.length < settledAfter) return undefined;
    const spread = sorted(deviations);
    return marginPerInterquartileRange * (quantile(spread, 0.75) - quantile(spread, 0.25));
  }

  /**
   * How much later than the fastest way there a write answered after `roundTripMs` may have reached Trakt. Its way
   * there took at most its round trip less the fastest way back and Trakt's fastest handling, and no write gets
   * there faster than the fastest way there: so at most its round trip less the fastest round trip of writes. Before
   * that is known, its whole round trip (a way there cannot take longer, nor the next one less than nothing).
   */
  arrivalLatenessMs(roundTripMs: number): number {
    return Math.max(0, roundTripMs - this.writeFloorMs());
  }

  /** That lateness for a typical write (the median write's round trip); undefined before any round trip. */
  typicalLatenessMs(): number | undefined {
    const writes = [...this.byKind].filter(([kind]) => isWriteKind(kind)).flatMap(([, samples]) => samples);
    const samples = writes.length > 0 ? writes : [...this.byKind.values()].flat();
    if (samples.length === 0) return undefined;
    return this.arrivalLatenessMs(quantile(sorted(samples), 0.5));
  }

  /**
   * The fastest round trip a write can have: for each kind of write seen `minPerKind` times, its median plus how far
   * below their kind's median round trips reach at the fastest (pooled over every kind, from `floorSettledAfter`
   * round trips on); the least of those. 0 before that is known. The fastest of a few dozen round trips is slower
   * than the fastest there can be, and round trips thin out towards the fastest, so it is extrapolated by as much as
   * the third fastest lies behind it (by the second fastest, a model of the sandbox's network drew twice the 429s).
   */
  private writeFloorMs(): number {
    const { deviations, writeMedians } = this.deviationsFromTypical();
    if (deviations.length < floorSettledAfter || writeMedians.length === 0) return 0;
    const [fastest = 0, , third = 0] = sorted(deviations);
    return Math.max(0, Math.min(...writeMedians) + 2 * fastest - third);
  }

  /**
   * Every round trip's difference from the median of its kind, for the kinds seen at least `minPerKind` times (a
   * median of fewer means little), and those medians of the kinds of writes.
   */
  private deviationsFromTypical(): { deviations: number[]; writeMedians: number[] } {
    const deviations: number[] = [];
    const writeMedians: number[] = [];
    for (const [kind, samples] of this.byKind) {
      if (samples.length < minPerKind) continue;
      const typical = quantile(sorted(samples), 0.5);
      for (const ms of samples) deviations.push(ms - typical);
      if (isWriteKind(kind)) writeMedians.push(typical);
    }
    return { deviations, writeMedians };
  }
}

/** What the write pacer learns from the round trips (its tuning's learned parts). */
export function pacerLearning(roundTrips: RoundTrips) {
  return {
    arrivalJitterMs: () => roundTrips.jitterMs(),
    arrivalLatenessMs: (roundTripMs: number) => roundTrips.arrivalLatenessMs(roundTripMs),
    typicalLatenessMs: () => roundTrips.typicalLatenessMs(),
  };
}

/** Round trips (all kinds) before the fastest of them says how fast a write can be answered. */
const floorSettledAfter = 16;

const isWriteKind = (kind: string) => !kind.startsWith("GET ");

/** Round trips of one kind needed before its median means something. */
const minPerKind = 3;
/** 3 σ, with σ = IQR / 1.349 as for a normal spread (see `jitterMs`). */
const marginPerInterquartileRange = 3 / 1.349;

/** The kind of a Trakt request for `RoundTrips`: its method and path, ids and query left out. */
export function requestKind(method: string, path: string): string {
  return `${method} ${path.replace(/\?.*$/, "").replace(/\/\d+(?=\/|$)/g, "/:id")}`;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
