import { describe, expect, it } from "vitest";
import { RoundTrips, requestKind } from "#trakt/RoundTrips.ts";

describe("RoundTrips", () => {
  it("knows nothing before it has seen enough round trips", () => {
    // Prepare
    const roundTrips = new RoundTrips();
    for (const ms of [120, 80, 200]) roundTrips.record(ms);

    // Act, Assess
    expect(roundTrips.jitterMs()).toBeUndefined();
  });

  it("keeps 3 standard deviations, read from the interquartile range of the round trips", () => {
    // Prepare: round trips 100, 110, …, 290
    const roundTrips = new RoundTrips();
    for (let i = 0; i < 20; i++) roundTrips.record(100 + i * 10);

    // Act
    const jitter = roundTrips.jitterMs();

    // Assess: p25 = 147.5, p75 = 242.5, so 95 × 3 / 1.349
    expect(jitter).toBeCloseTo((95 * 3) / 1.349, 1);
  });

  it("does not count a kind of request being slower than another as jitter", () => {
    // Prepare: adding items takes Trakt 300 ms longer than listing the lists, and both vary by ±5 ms
    const roundTrips = new RoundTrips();
    for (let i = 0; i < 10; i++) {
      roundTrips.record(100 + (i % 2 === 0 ? 5 : -5), requestKind("GET", "/users/me/lists"));
      roundTrips.record(400 + (i % 2 === 0 ? 5 : -5), requestKind("POST", `/users/me/lists/${i}/items`));
    }

    // Act, Assess: the spread within each kind, not the 300 ms between them
    expect(roundTrips.jitterMs()).toBeCloseTo((10 * 3) / 1.349, 1);
  });

  it("is not widened by a few slow answers", () => {
    // Prepare: a steady network with two answers held up (a busy Trakt, a busy CPU)
    const roundTrips = new RoundTrips();
    for (let i = 0; i < 18; i++) roundTrips.record(100);
    roundTrips.record(900);
    roundTrips.record(700);

    // Act, Assess
    expect(roundTrips.jitterMs()).toBe(0);
  });

  it("leaves out kinds seen too seldom to have a typical round trip", () => {
    // Prepare: seven steady reads and two one-off requests far from them
    const roundTrips = new RoundTrips();
    for (let i = 0; i < 7; i++) roundTrips.record(100, "GET a");
    roundTrips.record(600, "GET b");
    roundTrips.record(900, "POST c");

    // Act, Assess: only seven usable round trips, fewer than the eight needed
    expect(roundTrips.jitterMs()).toBeUndefined();
    roundTrips.record(100, "GET a");
    expect(roundTrips.jitterMs()).toBe(0);
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

  describe("how late an answered write can have arrived", () => {
    const reads = requestKind("GET", "/users/me/lists");
    const adds = requestKind("POST", "/users/me/lists/1/items");

    it("is its whole round trip before enough is known", () => {
      // Prepare
      const roundTrips = new RoundTrips();
      for (let i = 0; i < 15; i++) roundTrips.record(100 + i, i % 2 === 0 ? reads : adds);

      // Act, Assess: a way there cannot take longer than the round trip, nor the next one less than nothing
      expect(roundTrips.arrivalLatenessMs(180)).toBe(180);
    });

    /** Reads 100–190 ms; adds take Trakt 50 ms more, 160–240 ms, but one came back in 140 ms. */
    function observed() {
      const roundTrips = new RoundTrips();
      for (let i = 0; i < 10; i++) {
        roundTrips.record(100 + i * 10, reads);
        roundTrips.record(i === 0 ? 140 : 150 + i * 10, adds);
      }
      return roundTrips;
    }

    it("is its round trip less the fastest a write can be answered, extrapolated past the fastest seen", () => {
      // Prepare
      const roundTrips = observed();

      // Act
      const lateness = roundTrips.arrivalLatenessMs(240);

      // Assess: the adds' median (195 ms) plus the fastest deviation of any kind (-55 ms), less its gap to the third
      // fastest (-35 ms): the fastest add could come back in 195 - 75 = 120 ms
      expect(lateness).toBe(240 - 120);
      expect(roundTrips.arrivalLatenessMs(100)).toBe(0);
    });

    it("takes a typical write's round trip for planning, and nothing before any round trip", () => {
      // Prepare
      const fresh = new RoundTrips();
      const roundTrips = observed();

      // Act, Assess: the adds' median, 195 ms, less 120 ms
      expect(fresh.typicalLatenessMs()).toBeUndefined();
      expect(roundTrips.typicalLatenessMs()).toBe(75);
    });
  });

  it.each([
    ["GET", "/users/me/lists", "GET /users/me/lists"],
    ["GET", "/users/me/lists/123/items?page=2&limit=250", "GET /users/me/lists/:id/items"],
    ["POST", "/users/me/lists/123/items/remove", "POST /users/me/lists/:id/items/remove"],
    ["DELETE", "/users/me/lists/77", "DELETE /users/me/lists/:id"],
  ])("names the kind of %s %s as %s", (method, path, kind) => {
    expect(requestKind(method, path)).toBe(kind);
  });
});
