import { describe, expect, it } from "vitest";
import { RoundTrips } from "#trakt/RoundTrips.ts";

describe("RoundTrips", () => {
  it("knows nothing before it has seen enough round trips", () => {
    // Prepare
    const roundTrips = new RoundTrips();
    for (const ms of [120, 80, 200]) roundTrips.record(ms);

    // Act, Assess
    expect(roundTrips.jitterMs()).toBeUndefined();
  });

  it("estimates the jitter as the spread between the 10th and the 90th percentile round trip", () => {
    // Prepare: round trips 100, 110, …, 290
    const roundTrips = new RoundTrips();
    for (let i = 0; i < 20; i++) roundTrips.record(100 + i * 10);

    // Act
    const jitter = roundTrips.jitterMs();

    // Assess: p10 = 119, p90 = 271
    expect(jitter).toBeCloseTo(152, 0);
  });

  it("keeps only the most recent round trips and ignores nonsense", () => {
    // Prepare: an old slow network, then a steady one
    const roundTrips = new RoundTrips(10);
    for (let i = 0; i < 10; i++) roundTrips.record(i % 2 === 0 ? 50 : 900);
    for (let i = 0; i < 10; i++) roundTrips.record(100);
    roundTrips.record(Number.NaN);
    roundTrips.record(-5);

    // Act, Assess
    expect(roundTrips.count).toBe(10);
    expect(roundTrips.jitterMs()).toBe(0);
  });
});
