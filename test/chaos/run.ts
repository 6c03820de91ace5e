/** What one chaos run works with: the stack, its users and lists as the scenario models them, its dice and tallies. */
import type { CatalogTitle } from "#domain/catalog.ts";
import type { CustomListFilters } from "#domain/filters.ts";
import { seededRandom } from "#domain/seededRandom.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import type { TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import type { ApiClient } from "#test/support/apiClient.ts";
import type { ChaosSettings } from "./settings.ts";

export interface TrackedList {
  id: string;
  user: UserState;
  title: string;
  listType: "manual" | "custom";
  deleted: boolean;
  /** Manual lists: our model of the items, in rank order ("movie:123"). */
  items: string[];
  /** Items when created (the filters' limit for custom lists), for the fault-free estimate. */
  initialSize: number;
  /** Whether it mixes movies and shows (a reorder write after the adds). */
  mixed: boolean;
  /** Deleted right after it was created. */
  shortLived?: boolean;
  /** The user's changes, in order (for the fault-free estimate). */
  edits: { at: number; kind: string }[];
  /** Custom lists: the filters last set. */
  filters?: Partial<CustomListFilters>;
  itemLimit?: number;
}

export interface UserState {
  userId: string;
  slug: string;
  api: ApiClient;
}

/** The sample catalog as the scenario draws from it. */
export interface ChaosCatalog {
  /** Titles Trakt knows, and titles it cannot match (tmdb ids from `unknownIdFloor`). */
  known: CatalogTitle[];
  unknown: CatalogTitle[];
  /** Every title, best-ranked first: what custom lists select from. */
  bestFirst: CatalogTitle[];
}

/** The run's one seeded PRNG: every random choice of the scenario draws from it, in order. */
export interface Dice {
  random: () => number;
  pick<T>(values: readonly T[]): T;
  between(range: [number, number]): number;
}

export function seededDice(seed: number): Dice {
  const random = seededRandom(seed);
  return {
    random,
    pick: (values) => values[Math.floor(random() * values.length)]!,
    between: ([min, max]) => min + random() * (max - min),
  };
}

/** What the run counts as it goes, and the invariants it saw broken. */
export class Tally {
  readonly violations: string[] = [];
  readonly edits: Record<string, number> = {};
  readonly relinks: string[] = [];
  duplicateSyncRequests = 0;

  /** Whether the answer has one of the `ok` statuses; records a violation when not. */
  expectOk(what: string, response: { status: number; body: unknown }, ...ok: number[]): boolean {
    if (!ok.includes(response.status))
      this.violations.push(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return ok.includes(response.status);
  }

  /** Counts a user's edit of `list` (by kind, and on the list for the fault-free estimate). */
  count(kind: string, list: TrackedList): void {
    this.edits[kind] = (this.edits[kind] ?? 0) + 1;
    list.edits.push({ at: Date.now(), kind });
  }
}

export interface ChaosRun {
  settings: ChaosSettings;
  stack: LocalStack;
  sandbox: TraktSandbox;
  dice: Dice;
  catalog: ChaosCatalog;
  users: UserState[];
  lists: TrackedList[];
  tally: Tally;
}

/** Tmdb ids from here on are unknown to Trakt (the sandbox answers `not_found`). */
export const unknownIdFloor = 90_000_000;
export const key = (item: { mediaType: string; tmdbId?: number }) => `${item.mediaType}:${item.tmdbId}`;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function dedupe(titles: CatalogTitle[]): CatalogTitle[] {
  return [...new Map(titles.map((t) => [key(t), t])).values()];
}
