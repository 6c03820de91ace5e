/**
 * Mulberry32: a small, fast, seedable PRNG. One generator for everything that must be reproducible from a seed:
 * generated catalogs, the sandbox's faults and latency, and the chaos scenario.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
