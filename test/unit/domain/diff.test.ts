import { describe, expect, it } from "vitest";
import { planChanges, planReorder } from "#domain/diff.ts";
import type { ListItem } from "#domain/item.ts";
import { titleKey } from "#domain/media.ts";
import type { RemoteEntry } from "#domain/remoteEntry.ts";
import { entry, item } from "#test/support/builders.ts";

interface ChangesCase {
  desired: ListItem[];
  remote: RemoteEntry[];
  knownNotFound?: string[];
  /** What the plan adds, as title key and rank, in order; the list-item ids it removes; what it matched. */
  toAdd: [string, number][];
  toRemove: number[];
  matched: Record<string, number>;
}

const changesCases: Record<string, ChangesCase> = {
  "adds every desired item, in rank order, to an empty Trakt list": {
    desired: [item({ tmdbId: 3, rank: 3 }), item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 })],
    remote: [],
    toAdd: [
      ["movie:1", 1],
      ["movie:2", 2],
      ["movie:3", 3],
    ],
    toRemove: [],
    matched: {},
  },
  "removes everything from Trakt when nothing is desired": {
    desired: [],
    remote: [entry({ listItemId: 1, rank: 1, ids: { tmdb: 5 } })],
    toAdd: [],
    toRemove: [1],
    matched: {},
  },
  "matches a Trakt entry to a desired item by TMDB id": {
    desired: [item({ tmdbId: 10, rank: 1 })],
    remote: [entry({ listItemId: 100, rank: 1, ids: { trakt: 900, tmdb: 10 } })],
    toAdd: [],
    toRemove: [],
    matched: { "movie:10": 100 },
  },
  "matches a Trakt entry by IMDb id when Trakt has no or another TMDB id": {
    desired: [
      item({ tmdbId: 10, rank: 1, imdbId: "tt0000010" }),
      item({ tmdbId: 20, rank: 2, imdbId: "tt0000020" }),
    ],
    remote: [
      entry({ listItemId: 100, rank: 1, ids: { trakt: 900, imdb: "tt0000010" } }),
      entry({ listItemId: 200, rank: 2, ids: { trakt: 901, tmdb: 99_999, imdb: "tt0000020" } }),
    ],
    toAdd: [],
    toRemove: [],
    matched: { "movie:10": 100, "movie:20": 200 },
  },
  "matches a Trakt entry by Trakt id when the desired item knows it": {
    desired: [item({ tmdbId: 10, rank: 1, traktId: 700 })],
    remote: [entry({ listItemId: 100, rank: 1, ids: { trakt: 700 } })],
    toAdd: [],
    toRemove: [],
    matched: { "movie:10": 100 },
  },
  // Trakt id 10 must not be mistaken for TMDB id 10
  "does not match a Trakt id against an item that does not carry one": {
    desired: [item({ tmdbId: 10, rank: 1 })],
    remote: [entry({ listItemId: 100, rank: 1, ids: { trakt: 10 } })],
    toAdd: [["movie:10", 1]],
    toRemove: [100],
    matched: {},
  },
  "requires the media type to match: show 5 is not movie 5": {
    desired: [item({ mediaType: "movie", tmdbId: 5, rank: 1, imdbId: "tt0000005", traktId: 5 })],
    remote: [
      entry({ listItemId: 100, rank: 1, type: "show", ids: { trakt: 5, tmdb: 5, imdb: "tt0000005" } }),
    ],
    toAdd: [["movie:5", 1]],
    toRemove: [100],
    matched: {},
  },
  "tells a movie and a show with the same TMDB id apart when both are desired": {
    desired: [
      item({ mediaType: "movie", tmdbId: 5, rank: 1 }),
      item({ mediaType: "show", tmdbId: 5, rank: 2 }),
    ],
    remote: [
      entry({ listItemId: 200, rank: 1, type: "show", ids: { tmdb: 5 } }),
      entry({ listItemId: 100, rank: 2, type: "movie", ids: { tmdb: 5 } }),
    ],
    toAdd: [],
    toRemove: [],
    matched: { "movie:5": 100, "show:5": 200 },
  },
  // The entries are given out of rank order on purpose.
  "keeps the best-ranked Trakt entry of a duplicated title and removes the others": {
    desired: [item({ tmdbId: 10, rank: 1, imdbId: "tt0000010" })],
    remote: [
      entry({ listItemId: 300, rank: 3, ids: { imdb: "tt0000010" } }),
      entry({ listItemId: 200, rank: 2, ids: { tmdb: 10 } }),
      entry({ listItemId: 100, rank: 1, ids: { tmdb: 10 } }),
    ],
    toAdd: [],
    toRemove: [200, 300],
    matched: { "movie:10": 100 },
  },
  "removes seasons, episodes and people even when their ids equal a desired title's": {
    desired: [item({ mediaType: "show", tmdbId: 42, rank: 1, traktId: 42, imdbId: "tt0000042" })],
    remote: (["season", "episode", "person"] as const).map((type, i) =>
      entry({ listItemId: i + 1, rank: i + 1, type, ids: { trakt: 42, tmdb: 42, imdb: "tt0000042" } }),
    ),
    toAdd: [["show:42", 1]],
    toRemove: [1, 2, 3],
    matched: {},
  },
  "removes Trakt entries that are not desired and adds the missing ones": {
    desired: [item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 }), item({ tmdbId: 3, rank: 3 })],
    remote: [
      entry({ listItemId: 10, rank: 1, ids: { tmdb: 2 } }),
      entry({ listItemId: 20, rank: 2, ids: { tmdb: 77 } }),
    ],
    toAdd: [
      ["movie:1", 1],
      ["movie:3", 3],
    ],
    toRemove: [20],
    matched: { "movie:2": 10 },
  },
  "does not plan to add items Trakt already reported as not found": {
    desired: [item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 })],
    remote: [],
    knownNotFound: ["movie:1"],
    toAdd: [["movie:2", 2]],
    toRemove: [],
    matched: {},
  },
  "still adds a show whose movie namesake is known as not found": {
    desired: [item({ mediaType: "show", tmdbId: 1, rank: 1 })],
    remote: [],
    knownNotFound: ["movie:1"],
    toAdd: [["show:1", 1]],
    toRemove: [],
    matched: {},
  },
  "counts a known not-found item that now is on Trakt as matched, not removed": {
    desired: [item({ tmdbId: 1, rank: 1 })],
    remote: [entry({ listItemId: 10, rank: 1, ids: { tmdb: 1 } })],
    knownNotFound: ["movie:1"],
    toAdd: [],
    toRemove: [],
    matched: { "movie:1": 10 },
  },
  "lists items to add in rank order even with gaps in the ranks": {
    desired: [item({ tmdbId: 30, rank: 300 }), item({ tmdbId: 10, rank: 7 }), item({ tmdbId: 20, rank: 42 })],
    remote: [],
    toAdd: [
      ["movie:10", 7],
      ["movie:20", 42],
      ["movie:30", 300],
    ],
    toRemove: [],
    matched: {},
  },
};

describe("planChanges", () => {
  it.each(Object.entries(changesCases))("%s", (_name, { desired, remote, knownNotFound, ...expected }) => {
    // Act
    const plan = planChanges(desired, remote, knownNotFound ? new Set(knownNotFound) : undefined);

    // Assess
    expect(plan.toAdd.map((i): [string, number] => [titleKey(i), i.rank])).toEqual(expected.toAdd);
    expect(plan.toRemove.map((e) => e.listItemId)).toEqual(expected.toRemove);
    expect(Object.fromEntries([...plan.matched].map(([key, e]) => [key, e.listItemId]))).toEqual(
      expected.matched,
    );
  });

  it("does not reorder or change the caller's arrays", () => {
    // Prepare
    const desired = [item({ tmdbId: 2, rank: 2 }), item({ tmdbId: 1, rank: 1 })];
    const remote = [entry({ listItemId: 20, rank: 2 }), entry({ listItemId: 10, rank: 1 })];
    const before = JSON.stringify({ desired, remote });

    // Act
    planChanges(desired, remote);

    // Assess
    expect(JSON.stringify({ desired, remote })).toBe(before);
  });
});

interface ReorderCase {
  desired: ListItem[];
  remote: RemoteEntry[];
  /** The Trakt list-item ids in the order to send, or null when Trakt's order already agrees. */
  order: number[] | null;
}

/** Movies 1, 2, … at the given ranks. */
const movies = (...ranks: number[]) => ranks.map((rank, i) => item({ tmdbId: i + 1, rank }));
/** Movie entries on Trakt, each as [listItemId, rank, tmdbId]. */
const onTrakt = (...rows: [number, number, number][]) =>
  rows.map(([listItemId, rank, tmdb]) => entry({ listItemId, rank, ids: { tmdb } }));

const reorderCases: Record<string, ReorderCase> = {
  "returns null when Trakt's order already agrees": {
    desired: movies(1, 2),
    remote: onTrakt([10, 1, 1], [20, 2, 2]),
    order: null,
  },
  "returns null for an empty list": {
    desired: movies(1),
    remote: [],
    order: null,
  },
  "returns the Trakt list-item ids in our rank order when the order differs": {
    desired: movies(1, 2, 3),
    remote: onTrakt([30, 1, 3], [10, 2, 1], [20, 3, 2]),
    order: [10, 20, 30],
  },
  "reads Trakt's order from the entries' ranks, not their position in the array": {
    desired: movies(1, 2),
    remote: onTrakt([20, 2, 2], [10, 1, 1]),
    order: null,
  },
  "keeps entries it does not know at the end, in their relative order": {
    desired: movies(1, 2),
    remote: [
      entry({ listItemId: 901, rank: 1, type: "person", ids: { trakt: 5 } }),
      entry({ listItemId: 20, rank: 2, ids: { tmdb: 2 } }),
      entry({ listItemId: 902, rank: 3, ids: { tmdb: 77 } }),
      entry({ listItemId: 10, rank: 4, ids: { tmdb: 1 } }),
    ],
    order: [10, 20, 901, 902],
  },
  "returns null when unknown entries already follow the known ones in order": {
    desired: movies(1),
    remote: [
      entry({ listItemId: 10, rank: 1, ids: { tmdb: 1 } }),
      entry({ listItemId: 901, rank: 2, type: "episode", ids: { trakt: 3 } }),
    ],
    order: null,
  },
  "treats a duplicate of a title as unknown and moves it to the end": {
    desired: movies(1, 2),
    remote: onTrakt([10, 1, 1], [11, 2, 1], [20, 3, 2]),
    order: [10, 20, 11],
  },
  "works with gaps in both our ranks and Trakt's (in order)": {
    desired: movies(10, 20, 30),
    remote: onTrakt([10, 3, 1], [20, 7, 2], [30, 100, 3]),
    order: null,
  },
  "works with gaps in both our ranks and Trakt's (out of order)": {
    desired: movies(10, 20, 30),
    remote: onTrakt([30, 3, 3], [20, 7, 2], [10, 100, 1]),
    order: [10, 20, 30],
  },
  "recognises entries matched by IMDb or Trakt id when ordering": {
    desired: [item({ tmdbId: 1, rank: 1, imdbId: "tt0000001" }), item({ tmdbId: 2, rank: 2, traktId: 222 })],
    remote: [
      entry({ listItemId: 20, rank: 1, ids: { trakt: 222 } }),
      entry({ listItemId: 10, rank: 2, ids: { imdb: "tt0000001" } }),
    ],
    order: [10, 20],
  },
};

describe("planReorder", () => {
  it.each(Object.entries(reorderCases))("%s", (_name, { desired, remote, order }) => {
    // Act
    const planned = planReorder(desired, remote);

    // Assess
    expect(planned).toEqual(order);
  });
});
