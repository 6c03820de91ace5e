import type { EventFilterPattern } from "#config/eventFilters.ts";

/**
 * Matches an event against a Lambda event filter pattern, the subset our mappings use: nested
 * objects, and arrays of allowed values (strings, numbers, booleans, null) — exactly how the
 * Lambda event source mapping decides which records reach the function.
 */
export function matchesFilter(event: unknown, pattern: EventFilterPattern): boolean {
  if (typeof event !== "object" || event === null) return false;
  const record = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = record[key];
    if (Array.isArray(expected)) return expected.some((allowed) => allowed === actual);
    if (typeof expected === "object" && expected !== null) {
      return matchesFilter(actual, expected as EventFilterPattern);
    }
    throw new Error(`Unsupported filter pattern value at "${key}"`);
  });
}
