import { describe, expect, it } from "vitest";
import {
  type CatalogTitle,
  catalogSortKey,
  compareCandidates,
  matchesFilters,
  rankScore,
  selectCandidates,
  toListItem,
} from "#domain/catalog.ts";
import { defaultFilters } from "#domain/filters.ts";
import { catalogTitle, countingSource, filters } from "#test/support/builders.ts";

const higherRanked: [string, { rating: number; votes: number }, { rating: number; votes: number }][] = [
  [
    "ranks a high rating with few votes below a slightly lower rating with many votes",
    { rating: 8.4, votes: 200_000 },
    { rating: 9.0, votes: 12 },
  ],
  [
    "prefers more votes when two titles have the same rating above the prior",
    { rating: 8.0, votes: 50_000 },
    { rating: 8.0, votes: 500 },
  ],
];

/** The score, exactly or (with `digits`) to that many decimal digits. */
const exactScores: [string, { rating: number; votes: number }, number, number?][] = [
  ["gives a title without votes the prior rating of 6.5", { rating: 10, votes: 0 }, 6.5],
  ["weighs the title's rating and the prior equally at 1,000 votes", { rating: 8.5, votes: 1_000 }, 7.5, 10],
  ["treats negative vote counts as zero votes", { rating: 9.9, votes: -50 }, 6.5],
];

describe("rankScore", () => {
  it.each(higherRanked)("%s", (_name, higher, lower) => {
    // Act
    const higherScore = rankScore(higher);
    const lowerScore = rankScore(lower);

    // Assess
    expect(higherScore).toBeGreaterThan(lowerScore);
  });

  it.each(exactScores)("%s", (_name, title, expected, digits) => {
    // Act
    const score = rankScore(title);

    // Assess
    if (digits === undefined) expect(score).toBe(expected);
    else expect(score).toBeCloseTo(expected, digits);
  });

  it("approaches the title's own rating with a very large number of votes", () => {
    // Prepare
    const huge = { rating: 9.2, votes: 100_000_000 };

    // Act
    const score = rankScore(huge);

    // Assess
    expect(score).toBeCloseTo(9.2, 3);
    expect(score).toBeLessThan(9.2);
  });

  it("stays between 0 and 10 at the rating extremes", () => {
    // Prepare
    const extremes = [
      { rating: 0, votes: 999_999_999 },
      { rating: 10, votes: 999_999_999 },
      { rating: 0, votes: 0 },
      { rating: 10, votes: 1 },
    ];

    // Act
    const scores = extremes.map(rankScore);

    // Assess
    for (const score of scores) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(10);
    }
  });
});

describe("catalogSortKey", () => {
  const varied: CatalogTitle[] = [
    catalogTitle({ tmdbId: 1, rating: 9.0, votes: 12 }),
    catalogTitle({ tmdbId: 2, rating: 8.4, votes: 200_000 }),
    catalogTitle({ tmdbId: 3, rating: 7.1, votes: 900 }),
    catalogTitle({ tmdbId: 4, rating: 3.0, votes: 50_000 }),
    catalogTitle({ tmdbId: 5, rating: 10, votes: 999_999_999 }),
    catalogTitle({ tmdbId: 6, rating: 0, votes: 999_999_999 }),
    catalogTitle({ tmdbId: 7, rating: 6.5, votes: 10 }),
    catalogTitle({ tmdbId: 8, rating: 5.9, votes: 0 }),
    catalogTitle({ tmdbId: 9, rating: 8.9, votes: 2_500, mediaType: "show" }),
    catalogTitle({ tmdbId: 10, rating: 7.6, votes: 31_000 }),
  ];

  it("sorts titles in descending rankScore order", () => {
    // Prepare
    const keyed = varied.map((t) => ({ t, key: catalogSortKey(t) }));

    // Act
    const sorted = [...keyed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

    // Assess
    const scores = sorted.map(({ t }) => rankScore(t));
    const descending = [...scores].sort((a, b) => b - a);
    expect(scores).toEqual(descending);
  });

  it("pads the score, votes and TMDB id parts to fixed widths so string order is numeric order", () => {
    // Prepare
    const titles = varied;

    // Act
    const widths = titles.map((t) => {
      const [score, votes, , tmdbId] = catalogSortKey(t).split("#");
      return [score?.length, votes?.length, tmdbId?.length];
    });

    // Assess
    expect(new Set(widths.map((w) => w.join(","))).size).toBe(1);
    expect(widths[0]).toEqual([9, 9, 10]);
  });

  it("breaks a score tie by votes, more votes first", () => {
    // Prepare: a 6.5 rating scores exactly the prior, whatever the votes
    const fewer = catalogTitle({ tmdbId: 1, rating: 6.5, votes: 10 });
    const more = catalogTitle({ tmdbId: 2, rating: 6.5, votes: 90_000 });

    // Act
    const order = [fewer, more].sort(compareCandidates).map((t) => t.tmdbId);

    // Assess
    expect(rankScore(fewer)).toBe(rankScore(more));
    expect(order).toEqual([2, 1]);
  });

  it("breaks a full tie by media type, then by numeric TMDB id", () => {
    // Prepare
    const show9 = catalogTitle({ tmdbId: 9, mediaType: "show" });
    const movie10 = catalogTitle({ tmdbId: 10, mediaType: "movie" });
    const movie9 = catalogTitle({ tmdbId: 9, mediaType: "movie" });
    const movie100 = catalogTitle({ tmdbId: 100, mediaType: "movie" });

    // Act
    const order = [movie100, show9, movie10, movie9].sort(compareCandidates);

    // Assess
    expect(order.map((t) => `${t.mediaType}:${t.tmdbId}`)).toEqual([
      "movie:9",
      "movie:10",
      "movie:100",
      "show:9",
    ]);
  });

  it("gives different titles different keys, so the order is total", () => {
    // Prepare
    const sameNumbers = [
      catalogTitle({ tmdbId: 1, mediaType: "movie" }),
      catalogTitle({ tmdbId: 1, mediaType: "show" }),
      catalogTitle({ tmdbId: 2, mediaType: "movie" }),
    ];

    // Act
    const keys = new Set(sameNumbers.map(catalogSortKey));

    // Assess
    expect(keys.size).toBe(3);
  });

  it("orders titles with vote counts above the cap by score alone", () => {
    // Prepare
    const capped = catalogTitle({ tmdbId: 1, rating: 8, votes: 5_000_000_000 });
    const atCap = catalogTitle({ tmdbId: 2, rating: 7, votes: 999_999_999 });

    // Act
    const order = [atCap, capped].sort(compareCandidates).map((t) => t.tmdbId);

    // Assess
    expect(order).toEqual([1, 2]);
  });
});

describe("compareCandidates", () => {
  it("returns 0 only for the same title and is antisymmetric otherwise", () => {
    // Prepare
    const a = catalogTitle({ tmdbId: 1, rating: 8, votes: 10_000 });
    const b = catalogTitle({ tmdbId: 2, rating: 7, votes: 10_000 });

    // Act
    const same = compareCandidates(a, { ...a });
    const ab = compareCandidates(a, b);
    const ba = compareCandidates(b, a);

    // Assess
    expect(same).toBe(0);
    expect(ab).toBe(-1);
    expect(ba).toBe(1);
  });
});

describe("matchesFilters", () => {
  it("lets every title through the default filters", () => {
    // Prepare
    const titles = [
      catalogTitle({
        tmdbId: 1,
        mediaType: "movie",
        genres: [],
        language: "ja",
        year: 1890,
        rating: 0,
        votes: 0,
      }),
      catalogTitle({ tmdbId: 2, mediaType: "show", genres: ["anime"], language: "ko", year: 2099 }),
    ];

    // Act
    const results = titles.map((t) => matchesFilters(t, defaultFilters));

    // Assess
    expect(results).toEqual([true, true]);
  });

  it("keeps only the listed media types", () => {
    // Prepare
    const moviesOnly = filters({ mediaTypes: ["movie"] });

    // Act
    const movie = matchesFilters(catalogTitle({ tmdbId: 1, mediaType: "movie" }), moviesOnly);
    const show = matchesFilters(catalogTitle({ tmdbId: 1, mediaType: "show" }), moviesOnly);

    // Assess
    expect(movie).toBe(true);
    expect(show).toBe(false);
  });

  it("treats both year bounds as inclusive", () => {
    // Prepare
    const decade = filters({ yearFrom: 2000, yearTo: 2009 });
    const years = [1999, 2000, 2005, 2009, 2010];

    // Act
    const results = years.map((year) => matchesFilters(catalogTitle({ tmdbId: year, year }), decade));

    // Assess
    expect(results).toEqual([false, true, true, true, false]);
  });

  it("applies a lone lower or upper year bound", () => {
    // Prepare
    const from = filters({ yearFrom: 2000 });
    const to = filters({ yearTo: 2000 });

    // Act
    const results = [
      matchesFilters(catalogTitle({ tmdbId: 1, year: 1999 }), from),
      matchesFilters(catalogTitle({ tmdbId: 2, year: 2030 }), from),
      matchesFilters(catalogTitle({ tmdbId: 3, year: 1900 }), to),
      matchesFilters(catalogTitle({ tmdbId: 4, year: 2001 }), to),
    ];

    // Assess
    expect(results).toEqual([false, true, true, false]);
  });

  it("treats minRating and minVotes as inclusive minimums", () => {
    // Prepare
    const bar = filters({ minRating: 7.5, minVotes: 1_000 });

    // Act
    const results = [
      matchesFilters(catalogTitle({ tmdbId: 1, rating: 7.5, votes: 1_000 }), bar),
      matchesFilters(catalogTitle({ tmdbId: 2, rating: 7.49, votes: 50_000 }), bar),
      matchesFilters(catalogTitle({ tmdbId: 3, rating: 9, votes: 999 }), bar),
    ];

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it("checks minRating against the title's own rating, not its weighted score", () => {
    // Prepare: 9.0 from 12 votes has a weighted score far below 8
    const bar = filters({ minRating: 8 });
    const obscure = catalogTitle({ tmdbId: 1, rating: 9, votes: 12 });

    // Act
    const result = matchesFilters(obscure, bar);

    // Assess
    expect(rankScore(obscure)).toBeLessThan(8);
    expect(result).toBe(true);
  });

  it("keeps only the listed languages", () => {
    // Prepare
    const european = filters({ languages: ["fr", "de"] });

    // Act
    const results = ["fr", "de", "en"].map((language) =>
      matchesFilters(catalogTitle({ tmdbId: 1, language }), european),
    );

    // Assess
    expect(results).toEqual([true, true, false]);
  });

  it("with genreMatch any, needs at least one of the genres", () => {
    // Prepare
    const any = filters({ genres: ["comedy", "horror"], genreMatch: "any" });

    // Act
    const results = [
      matchesFilters(catalogTitle({ tmdbId: 1, genres: ["comedy"] }), any),
      matchesFilters(catalogTitle({ tmdbId: 2, genres: ["drama", "horror"] }), any),
      matchesFilters(catalogTitle({ tmdbId: 3, genres: ["drama"] }), any),
      matchesFilters(catalogTitle({ tmdbId: 4, genres: [] }), any),
    ];

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });

  it("with genreMatch all, needs every one of the genres", () => {
    // Prepare
    const all = filters({ genres: ["comedy", "horror"], genreMatch: "all" });

    // Act
    const results = [
      matchesFilters(catalogTitle({ tmdbId: 1, genres: ["comedy"] }), all),
      matchesFilters(catalogTitle({ tmdbId: 2, genres: ["horror", "drama", "comedy"] }), all),
      matchesFilters(catalogTitle({ tmdbId: 3, genres: ["horror"] }), all),
    ];

    // Assess
    expect(results).toEqual([false, true, false]);
  });

  it("ignores genreMatch when no genres are asked for", () => {
    // Prepare
    const all = filters({ genres: [], genreMatch: "all" });

    // Act
    const result = matchesFilters(catalogTitle({ tmdbId: 1, genres: [] }), all);

    // Assess
    expect(result).toBe(true);
  });

  it("requires every filter to pass at once", () => {
    // Prepare
    const strict = filters({
      mediaTypes: ["show"],
      genres: ["drama"],
      languages: ["en"],
      yearFrom: 2000,
      minRating: 8,
    });
    const passing = catalogTitle({
      tmdbId: 1,
      mediaType: "show",
      genres: ["drama"],
      year: 2001,
      rating: 8.5,
    });

    // Act
    const results = [
      matchesFilters(passing, strict),
      matchesFilters({ ...passing, language: "fr" }, strict),
      matchesFilters({ ...passing, year: 1999 }, strict),
      matchesFilters({ ...passing, rating: 7.9 }, strict),
      matchesFilters({ ...passing, mediaType: "movie" }, strict),
    ];

    // Assess
    expect(results).toEqual([true, false, false, false, false]);
  });
});

describe("selectCandidates", () => {
  const catalog = Array.from({ length: 20 }, (_, i) =>
    catalogTitle({ tmdbId: i + 1, mediaType: i % 2 === 0 ? "movie" : "show" }),
  );

  it("stops pulling from an async source as soon as the list is full", async () => {
    // Prepare
    const { source, stats } = countingSource(catalog);

    // Act
    const picked = await selectCandidates(source, filters(), 3);

    // Assess
    expect(picked.map((p) => p.tmdbId)).toEqual([1, 2, 3]);
    expect(stats.pulled).toBe(3);
    expect(stats.closed).toBe(true);
  });

  it("pulls only up to the last match it needs when filters skip titles", async () => {
    // Prepare: movies are the odd TMDB ids 1, 3, 5, ...
    const { source, stats } = countingSource(catalog);

    // Act
    const picked = await selectCandidates(source, filters({ mediaTypes: ["movie"] }), 3);

    // Assess
    expect(picked.map((p) => p.tmdbId)).toEqual([1, 3, 5]);
    expect(stats.pulled).toBe(5);
  });

  it("reads the whole source when fewer titles match than the limit", async () => {
    // Prepare
    const { source, stats } = countingSource(catalog);

    // Act
    const picked = await selectCandidates(source, filters({ mediaTypes: ["show"] }), 100);

    // Assess
    expect(picked).toHaveLength(10);
    expect(stats.pulled).toBe(20);
  });

  it("pulls nothing for a limit of zero or less", async () => {
    // Prepare
    const zero = countingSource(catalog);
    const negative = countingSource(catalog);

    // Act
    const none = await selectCandidates(zero.source, filters(), 0);
    const alsoNone = await selectCandidates(negative.source, filters(), -5);

    // Assess
    expect(none).toEqual([]);
    expect(alsoNone).toEqual([]);
    expect(zero.stats.pulled).toBe(0);
    expect(negative.stats.pulled).toBe(0);
  });

  it("ranks the picks 1..n in the source's order, without gaps for skipped titles", async () => {
    // Prepare
    const source = [
      catalogTitle({ tmdbId: 10, language: "fr" }),
      catalogTitle({ tmdbId: 11 }),
      catalogTitle({ tmdbId: 12, language: "fr" }),
      catalogTitle({ tmdbId: 13 }),
    ];

    // Act
    const picked = await selectCandidates(source, filters({ languages: ["en"] }), 10);

    // Assess
    expect(picked.map((p) => [p.tmdbId, p.rank])).toEqual([
      [11, 1],
      [13, 2],
    ]);
  });

  it("accepts a plain synchronous iterable", async () => {
    // Prepare
    const source = new Set([catalogTitle({ tmdbId: 1 }), catalogTitle({ tmdbId: 2 })]);

    // Act
    const picked = await selectCandidates(source, filters(), 5);

    // Assess
    expect(picked.map((p) => p.tmdbId)).toEqual([1, 2]);
  });

  it("returns list items carrying title, year and IMDb id only when known", async () => {
    // Prepare
    const source = [
      catalogTitle({ tmdbId: 1, imdbId: "tt0111161", title: "Shawshank", year: 1994 }),
      catalogTitle({ tmdbId: 2, title: "No IMDb", year: 2001 }),
    ];

    // Act
    const picked = await selectCandidates(source, filters(), 5);

    // Assess
    expect(picked).toEqual([
      { mediaType: "movie", tmdbId: 1, imdbId: "tt0111161", rank: 1, title: "Shawshank", year: 1994 },
      { mediaType: "movie", tmdbId: 2, rank: 2, title: "No IMDb", year: 2001 },
    ]);
    expect(picked[1]).not.toHaveProperty("imdbId");
  });
});

describe("toListItem", () => {
  it("drops catalog-only fields such as rating, votes and genres", () => {
    // Prepare
    const t = catalogTitle({ tmdbId: 7, rating: 9, votes: 100, genres: ["drama"], language: "en" });

    // Act
    const listItem = toListItem(t, 4);

    // Assess
    expect(listItem).toEqual({ mediaType: "movie", tmdbId: 7, rank: 4, title: "Title 7", year: 2010 });
  });
});
