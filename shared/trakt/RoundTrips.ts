/**
 * Round trips of recent Trakt requests (this container's, all users: they share the network to Trakt). The write
 * pacer's margin comes from their spread: a write reaches Trakt its way-there later than it leaves, and only that
 * way-there's jitter can bring two writes sent a period apart closer together at Trakt. A round trip bounds it:
 * the way there is never longer than the whole round trip, and its jitter never larger than the round trips'.
 */
export class RoundTrips {
  private readonly samples: number[] = [];
  private readonly size: number;

  constructor(size = 64) {
    this.size = size;
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.samples.push(ms);
    if (this.samples.length > this.size) this.samples.shift();
  }

  get count(): number {
    return this.samples.length;
  }

  /**
   * How much later than another write one write may arrive: from `settledAfter` samples on, the spread between
   * the 10th and 90th percentile round trip, which covers the jitter of the way there when it is at most about
   * that of the whole round trip. Undefined before (the pacer keeps its initial margin).
   */
  jitterMs(settledAfter = 8): number | undefined {
    if (this.samples.length < settledAfter) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return quantile(sorted, 0.9) - quantile(sorted, 0.1);
  }

  /** The `q` quantile (0…1) of the recorded values, from `settledAfter` samples on. */
  percentileMs(q: number, settledAfter = 8): number | undefined {
    if (this.samples.length < settledAfter) return undefined;
    return quantile(
      [...this.samples].sort((a, b) => a - b),
      q,
    );
  }
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
