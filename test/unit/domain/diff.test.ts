import { describe, expect, it } from "vitest";
import { planChanges, planReorder } from "#domain/diff.ts";
import { entry, item } from "#test/support/builders.ts";

describe("planChanges", () => {
  it("adds every desired item, in rank order, to an empty Trakt list", () => {
    // Prepare
    const desired = [
      item({ tmdbId: 3, rank: 3 }),
      item({ tmdbId: 1, rank: 1 }),
      item({ tmdbId: 2, rank: 2 }),
    ];

    // Act
    const plan = planChanges(desired, []);

    // Assess
    expect(plan.toAdd.map((i) => i.tmdbId)).toEqual([1, 2, 3]);
    expect(plan.toRemove).toEqual([]);
    expect(plan.matched.size).toBe(0);
  });

  it("removes everything from Trakt when nothing is desired", () => {
    // Prepare
    const remote = [entry({ listItemId: 1, rank: 1, ids: { tmdb: 5 } })];

    // Act
    const plan = planChanges([], remote);

    // Assess
    expect(plan.toAdd).toEqual([]);
    expect(plan.toRemove.map((e) => e.listItemId)).toEqual([1]);
  });

  it("matches a Trakt entry to a desired item by TMDB id", () => {
    // Prepare
    const desired = [item({ tmdbId: 10, rank: 1 })];
    const remote = [entry({ listItemId: 100, rank: 1, ids: { trakt: 900, tmdb: 10 } })];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.toAdd).toEqual([]);
    expect(plan.toRemove).toEqual([]);
    expect(plan.matched.get("movie:10")?.listItemId).toBe(100);
  });

  it("matches a Trakt entry by IMDb id when Trakt has no or another TMDB id", () => {
    // Prepare
    const desired = [
      item({ tmdbId: 10, rank: 1, imdbId: "tt0000010" }),
      item({ tmdbId: 20, rank: 2, imdbId: "tt0000020" }),
    ];
    const remote = [
      entry({ listItemId: 100, rank: 1, ids: { trakt: 900, imdb: "tt0000010" } }),
      entry({ listItemId: 200, rank: 2, ids: { trakt: 901, tmdb: 99_999, imdb: "tt0000020" } }),
    ];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.toAdd).toEqual([]);
    expect(plan.toRemove).toEqual([]);
    expect(plan.matched.get("movie:10")?.listItemId).toBe(100);
    expect(plan.matched.get("movie:20")?.listItemId).toBe(200);
  });

  it("matches a Trakt entry by Trakt id when the desired item knows it", () => {
    // Prepare
    const desired = [item({ tmdbId: 10, rank: 1, traktId: 700 })];
    const remote = [entry({ listItemId: 100, rank: 1, ids: { trakt: 700 } })];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.toAdd).toEqual([]);
    expect(plan.toRemove).toEqual([]);
    expect(plan.matched.get("movie:10")?.listItemId).toBe(100);
  });

  it("does not match a Trakt id against an item that does not carry one", () => {
    // Prepare: Trakt id 10 must not be mistaken for TMDB id 10
    const desired = [item({ tmdbId: 10, rank: 1 })];
    const remote = [entry({ listItemId: 100, rank: 1, ids: { trakt: 10 } })];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.toAdd.map((i) => i.tmdbId)).toEqual([10]);
    expect(plan.toRemove.map((e) => e.listItemId)).toEqual([100]);
  });

  it("requires the media type to match: show 5 is not movie 5", () => {
    // Prepare
    const desired = [item({ mediaType: "movie", tmdbId: 5, rank: 1, imdbId: "tt0000005", traktId: 5 })];
    const remote = [
      entry({ listItemId: 100, rank: 1, type: "show", ids: { trakt: 5, tmdb: 5, imdb: "tt0000005" } }),
    ];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.matched.size).toBe(0);
    expect(plan.toAdd.map((i) => `${i.mediaType}:${i.tmdbId}`)).toEqual(["movie:5"]);
    expect(plan.toRemove.map((e) => e.listItemId)).toEqual([100]);
  });

  it("tells a movie and a show with the same TMDB id apart when both are desired", () => {
    // Prepare
    const desired = [
      item({ mediaType: "movie", tmdbId: 5, rank: 1 }),
      item({ mediaType: "show", tmdbId: 5, rank: 2 }),
    ];
    const remote = [
      entry({ listItemId: 200, rank: 1, type: "show", ids: { tmdb: 5 } }),
      entry({ listItemId: 100, rank: 2, type: "movie", ids: { tmdb: 5 } }),
    ];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.toAdd).toEqual([]);
    expect(plan.toRemove).toEqual([]);
    expect(plan.matched.get("movie:5")?.listItemId).toBe(100);
    expect(plan.matched.get("show:5")?.listItemId).toBe(200);
  });

  it("keeps the best-ranked Trakt entry of a duplicated title and removes the others", () => {
    // Prepare: given out of rank order on purpose
    const desired = [item({ tmdbId: 10, rank: 1, imdbId: "tt0000010" })];
    const remote = [
      entry({ listItemId: 300, rank: 3, ids: { imdb: "tt0000010" } }),
      entry({ listItemId: 200, rank: 2, ids: { tmdb: 10 } }),
      entry({ listItemId: 100, rank: 1, ids: { tmdb: 10 } }),
    ];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.matched.get("movie:10")?.listItemId).toBe(100);
    expect(plan.toRemove.map((e) => e.listItemId)).toEqual([200, 300]);
    expect(plan.toAdd).toEqual([]);
  });

  it("removes seasons, episodes and people even when their ids equal a desired title's", () => {
    // Prepare
    const desired = [item({ mediaType: "show", tmdbId: 42, rank: 1, traktId: 42, imdbId: "tt0000042" })];
    const ids = { trakt: 42, tmdb: 42, imdb: "tt0000042" };
    const remote = [
      entry({ listItemId: 1, rank: 1, type: "season", ids }),
      entry({ listItemId: 2, rank: 2, type: "episode", ids }),
      entry({ listItemId: 3, rank: 3, type: "person", ids }),
    ];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.toRemove.map((e) => e.listItemId)).toEqual([1, 2, 3]);
    expect(plan.toAdd.map((i) => i.tmdbId)).toEqual([42]);
    expect(plan.matched.size).toBe(0);
  });

  it("removes Trakt entries that are not desired and adds the missing ones", () => {
    // Prepare
    const desired = [
      item({ tmdbId: 1, rank: 1 }),
      item({ tmdbId: 2, rank: 2 }),
      item({ tmdbId: 3, rank: 3 }),
    ];
    const remote = [
      entry({ listItemId: 10, rank: 1, ids: { tmdb: 2 } }),
      entry({ listItemId: 20, rank: 2, ids: { tmdb: 77 } }),
    ];

    // Act
    const plan = planChanges(desired, remote);

    // Assess
    expect(plan.toAdd.map((i) => i.tmdbId)).toEqual([1, 3]);
    expect(plan.toRemove.map((e) => e.listItemId)).toEqual([20]);
    expect([...plan.matched.keys()]).toEqual(["movie:2"]);
  });

  it("does not plan to add items Trakt already reported as not found", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 })];
    const knownNotFound = new Set(["movie:1"]);

    // Act
    const plan = planChanges(desired, [], knownNotFound);

    // Assess
    expect(plan.toAdd.map((i) => i.tmdbId)).toEqual([2]);
  });

  it("still adds a show whose movie namesake is known as not found", () => {
    // Prepare
    const desired = [item({ mediaType: "show", tmdbId: 1, rank: 1 })];
    const knownNotFound = new Set(["movie:1"]);

    // Act
    const plan = planChanges(desired, [], knownNotFound);

    // Assess
    expect(plan.toAdd.map((i) => `${i.mediaType}:${i.tmdbId}`)).toEqual(["show:1"]);
  });

  it("counts a known not-found item that now is on Trakt as matched, not removed", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 })];
    const remote = [entry({ listItemId: 10, rank: 1, ids: { tmdb: 1 } })];
    const knownNotFound = new Set(["movie:1"]);

    // Act
    const plan = planChanges(desired, remote, knownNotFound);

    // Assess
    expect(plan.matched.get("movie:1")?.listItemId).toBe(10);
    expect(plan.toRemove).toEqual([]);
    expect(plan.toAdd).toEqual([]);
  });

  it("lists items to add in rank order even with gaps in the ranks", () => {
    // Prepare
    const desired = [
      item({ tmdbId: 30, rank: 300 }),
      item({ tmdbId: 10, rank: 7 }),
      item({ tmdbId: 20, rank: 42 }),
    ];

    // Act
    const plan = planChanges(desired, []);

    // Assess
    expect(plan.toAdd.map((i) => i.rank)).toEqual([7, 42, 300]);
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

describe("planReorder", () => {
  it("returns null when Trakt's order already agrees", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 })];
    const remote = [
      entry({ listItemId: 10, rank: 1, ids: { tmdb: 1 } }),
      entry({ listItemId: 20, rank: 2, ids: { tmdb: 2 } }),
    ];

    // Act
    const order = planReorder(desired, remote);

    // Assess
    expect(order).toBeNull();
  });

  it("returns null for an empty list", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 })];

    // Act
    const order = planReorder(desired, []);

    // Assess
    expect(order).toBeNull();
  });

  it("returns the Trakt list-item ids in our rank order when the order differs", () => {
    // Prepare
    const desired = [
      item({ tmdbId: 1, rank: 1 }),
      item({ tmdbId: 2, rank: 2 }),
      item({ tmdbId: 3, rank: 3 }),
    ];
    const remote = [
      entry({ listItemId: 30, rank: 1, ids: { tmdb: 3 } }),
      entry({ listItemId: 10, rank: 2, ids: { tmdb: 1 } }),
      entry({ listItemId: 20, rank: 3, ids: { tmdb: 2 } }),
    ];

    // Act
    const order = planReorder(desired, remote);

    // Assess
    expect(order).toEqual([10, 20, 30]);
  });

  it("reads Trakt's order from the entries' ranks, not their position in the array", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 })];
    const remote = [
      entry({ listItemId: 20, rank: 2, ids: { tmdb: 2 } }),
      entry({ listItemId: 10, rank: 1, ids: { tmdb: 1 } }),
    ];

    // Act
    const order = planReorder(desired, remote);

    // Assess
    expect(order).toBeNull();
  });

  it("keeps entries it does not know at the end, in their relative order", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 })];
    const remote = [
      entry({ listItemId: 901, rank: 1, type: "person", ids: { trakt: 5 } }),
      entry({ listItemId: 20, rank: 2, ids: { tmdb: 2 } }),
      entry({ listItemId: 902, rank: 3, ids: { tmdb: 77 } }),
      entry({ listItemId: 10, rank: 4, ids: { tmdb: 1 } }),
    ];

    // Act
    const order = planReorder(desired, remote);

    // Assess
    expect(order).toEqual([10, 20, 901, 902]);
  });

  it("returns null when unknown entries already follow the known ones in order", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 })];
    const remote = [
      entry({ listItemId: 10, rank: 1, ids: { tmdb: 1 } }),
      entry({ listItemId: 901, rank: 2, type: "episode", ids: { trakt: 3 } }),
    ];

    // Act
    const order = planReorder(desired, remote);

    // Assess
    expect(order).toBeNull();
  });

  it("treats a duplicate of a title as unknown and moves it to the end", () => {
    // Prepare
    const desired = [item({ tmdbId: 1, rank: 1 }), item({ tmdbId: 2, rank: 2 })];
    const remote = [
      entry({ listItemId: 10, rank: 1, ids: { tmdb: 1 } }),
      entry({ listItemId: 11, rank: 2, ids: { tmdb: 1 } }),
      entry({ listItemId: 20, rank: 3, ids: { tmdb: 2 } }),
    ];

    // Act
    const order = planReorder(desired, remote);

    // Assess
    expect(order).toEqual([10, 20, 11]);
  });

  it("works with gaps in both our ranks and Trakt's", () => {
    // Prepare
    const desired = [
      item({ tmdbId: 1, rank: 10 }),
      item({ tmdbId: 2, rank: 20 }),
      item({ tmdbId: 3, rank: 30 }),
    ];
    const inOrder = [
      entry({ listItemId: 10, rank: 3, ids: { tmdb: 1 } }),
      entry({ listItemId: 20, rank: 7, ids: { tmdb: 2 } }),
      entry({ listItemId: 30, rank: 100, ids: { tmdb: 3 } }),
    ];
    const outOfOrder = [
      entry({ listItemId: 30, rank: 3, ids: { tmdb: 3 } }),
      entry({ listItemId: 20, rank: 7, ids: { tmdb: 2 } }),
      entry({ listItemId: 10, rank: 100, ids: { tmdb: 1 } }),
    ];

    // Act
    const unchanged = planReorder(desired, inOrder);
    const reordered = planReorder(desired, outOfOrder);

    // Assess
    expect(unchanged).toBeNull();
    expect(reordered).toEqual([10, 20, 30]);
  });

  it("recognises entries matched by IMDb or Trakt id when ordering", () => {
    // Prepare
    const desired = [
      item({ tmdbId: 1, rank: 1, imdbId: "tt0000001" }),
      item({ tmdbId: 2, rank: 2, traktId: 222 }),
    ];
    const remote = [
      entry({ listItemId: 20, rank: 1, ids: { trakt: 222 } }),
      entry({ listItemId: 10, rank: 2, ids: { imdb: "tt0000001" } }),
    ];

    // Act
    const order = planReorder(desired, remote);

    // Assess
    expect(order).toEqual([10, 20]);
  });
});
