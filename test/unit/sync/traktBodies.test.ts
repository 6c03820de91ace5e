import { describe, expect, it } from "vitest";
import { addBody, itemsNotFound, removeBody, toNotFound } from "#sync/traktBodies.ts";
import { entry, item } from "#test/support/builders.ts";

describe("addBody", () => {
  it("sends each title by its TMDB id only, even when IMDb and Trakt ids are known", () => {
    // Prepare
    const items = [item({ tmdbId: 550, rank: 1, imdbId: "tt0137523", traktId: 432 })];

    // Act
    const body = addBody(items);

    // Assess
    expect(body).toEqual({ movies: [{ ids: { tmdb: 550 } }] });
  });

  it("splits movies and shows into their own keys, keeping the order within each", () => {
    // Prepare
    const items = [
      item({ mediaType: "show", tmdbId: 1, rank: 1 }),
      item({ mediaType: "movie", tmdbId: 2, rank: 2 }),
      item({ mediaType: "show", tmdbId: 3, rank: 3 }),
      item({ mediaType: "movie", tmdbId: 4, rank: 4 }),
    ];

    // Act
    const body = addBody(items);

    // Assess
    expect(body).toEqual({
      shows: [{ ids: { tmdb: 1 } }, { ids: { tmdb: 3 } }],
      movies: [{ ids: { tmdb: 2 } }, { ids: { tmdb: 4 } }],
    });
  });

  it("produces an empty body for no items", () => {
    // Prepare
    const items = [] as const;

    // Act
    const body = addBody(items);

    // Assess
    expect(body).toEqual({});
  });
});

describe("removeBody", () => {
  it("removes each entry type by its Trakt id under Trakt's plural key", () => {
    // Prepare
    const entries = [
      entry({ listItemId: 1, rank: 1, type: "movie", ids: { trakt: 11, tmdb: 111, imdb: "tt0000111" } }),
      entry({ listItemId: 2, rank: 2, type: "show", ids: { trakt: 22, tmdb: 222 } }),
      entry({ listItemId: 3, rank: 3, type: "season", ids: { trakt: 33, tmdb: 333 } }),
      entry({ listItemId: 4, rank: 4, type: "episode", ids: { trakt: 44 } }),
      entry({ listItemId: 5, rank: 5, type: "person", ids: { trakt: 55, imdb: "nm0000055" } }),
    ];

    // Act
    const body = removeBody(entries);

    // Assess
    expect(body).toEqual({
      movies: [{ ids: { trakt: 11 } }],
      shows: [{ ids: { trakt: 22 } }],
      seasons: [{ ids: { trakt: 33 } }],
      episodes: [{ ids: { trakt: 44 } }],
      people: [{ ids: { trakt: 55 } }],
    });
  });

  it("falls back to the TMDB and IMDb ids when an entry has no Trakt id", () => {
    // Prepare
    const entries = [
      entry({ listItemId: 1, rank: 1, ids: { tmdb: 111, imdb: "tt0000111" } }),
      entry({ listItemId: 2, rank: 2, ids: { imdb: "tt0000222" } }),
    ];

    // Act
    const body = removeBody(entries);

    // Assess
    expect(body).toEqual({
      movies: [{ ids: { tmdb: 111, imdb: "tt0000111" } }, { ids: { imdb: "tt0000222" } }],
    });
  });

  it("uses a Trakt id of 0 rather than falling back", () => {
    // Prepare
    const entries = [entry({ listItemId: 1, rank: 1, ids: { trakt: 0, tmdb: 9 } })];

    // Act
    const body = removeBody(entries);

    // Assess
    expect(body).toEqual({ movies: [{ ids: { trakt: 0 } }] });
  });

  it("collects several entries of one type under one key", () => {
    // Prepare
    const entries = [
      entry({ listItemId: 1, rank: 1, ids: { trakt: 1 } }),
      entry({ listItemId: 2, rank: 2, ids: { trakt: 2 } }),
    ];

    // Act
    const body = removeBody(entries);

    // Assess
    expect(body).toEqual({ movies: [{ ids: { trakt: 1 } }, { ids: { trakt: 2 } }] });
  });
});

describe("itemsNotFound", () => {
  const sent = [
    item({ mediaType: "movie", tmdbId: 1, rank: 1, imdbId: "tt0000001", traktId: 101, year: 1999 }),
    item({ mediaType: "movie", tmdbId: 2, rank: 2, imdbId: "tt0000002", traktId: 102 }),
    item({ mediaType: "show", tmdbId: 3, rank: 3, imdbId: "tt0000003", traktId: 103 }),
    item({ mediaType: "show", tmdbId: 4, rank: 4 }),
  ];

  it("finds nothing when Trakt sent no not_found section", () => {
    // Prepare
    const notFound = undefined;

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result).toEqual([]);
  });

  it("finds nothing when the not_found section is empty", () => {
    // Prepare
    const notFound = { movies: [], shows: [] };

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result).toEqual([]);
  });

  it("matches an echoed TMDB id back to the item we sent", () => {
    // Prepare
    const notFound = { movies: [{ ids: { tmdb: 2 } }] };

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result.map((i) => i.tmdbId)).toEqual([2]);
  });

  it("matches an echoed IMDb id back to the item we sent", () => {
    // Prepare
    const notFound = { shows: [{ ids: { imdb: "tt0000003" } }] };

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result.map((i) => `${i.mediaType}:${i.tmdbId}`)).toEqual(["show:3"]);
  });

  it("matches an echoed Trakt id back to the item we sent", () => {
    // Prepare
    const notFound = { movies: [{ ids: { trakt: 101 } }] };

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result.map((i) => i.tmdbId)).toEqual([1]);
  });

  it("does not match an echo across media types", () => {
    // Prepare: movie TMDB 4 and show imdb tt0000001 are not what we sent
    const notFound = { movies: [{ ids: { tmdb: 4 } }], shows: [{ ids: { imdb: "tt0000001", tmdb: 1 } }] };

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result).toEqual([]);
  });

  it("ignores echoes of seasons, episodes and people", () => {
    // Prepare
    const notFound = {
      seasons: [{ ids: { tmdb: 1 } }],
      episodes: [{ ids: { tmdb: 2 } }],
      people: [{ ids: { tmdb: 3 } }],
    };

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result).toEqual([]);
  });

  it("returns not-found items in the order sent, as not-found records without rank or Trakt id", () => {
    // Prepare
    const notFound = { shows: [{ ids: { tmdb: 4 } }], movies: [{ ids: { tmdb: 1 } }] };

    // Act
    const result = itemsNotFound(sent, notFound);

    // Assess
    expect(result).toEqual([
      { mediaType: "movie", tmdbId: 1, imdbId: "tt0000001", title: "Item 1", year: 1999 },
      { mediaType: "show", tmdbId: 4, title: "Item 4" },
    ]);
  });
});

describe("toNotFound", () => {
  it("keeps only identity, title and year of a list item", () => {
    // Prepare
    const listItem = item({ tmdbId: 9, rank: 5, traktId: 99, imdbId: "tt0000009", year: 2020 });

    // Act
    const record = toNotFound(listItem);

    // Assess
    expect(record).toEqual({
      mediaType: "movie",
      tmdbId: 9,
      imdbId: "tt0000009",
      title: "Item 9",
      year: 2020,
    });
  });
});
