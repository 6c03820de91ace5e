import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseBasicsRow, parseRatingsRow } from "#catalog/imdbTsv.ts";
import { ingestSources, type SourceInput } from "#catalog/ingest.ts";
import { emptyCounts } from "#catalog/ingestReport.ts";
import { parseJsonLine } from "#catalog/jsonLines.ts";
import { detectSource } from "#catalog/sourceFormat.ts";
import { genreMask, genresOfMask, imdbGenreSlugs } from "#domain/genres.ts";

const basicsHead =
  "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres";
const ratingsHead = "tconst\taverageRating\tnumVotes";

function file(name: string, text: string): SourceInput {
  const bytes = name.endsWith(".gz") ? gzipSync(text) : Buffer.from(text);
  return { name, open: async () => Readable.from([bytes]) };
}

describe("IMDb title.basics rows", () => {
  it("maps movie/tvMovie to movie and tvSeries/tvMiniSeries to show, \\N to absent", () => {
    const counts = emptyCounts();
    expect(
      parseBasicsRow("tt0111161\tmovie\tThe Shawshank Redemption\tx\t0\t1994\t\\N\t142\tDrama", counts),
    ).toEqual({
      mediaType: "movie",
      imdbId: "tt0111161",
      title: "The Shawshank Redemption",
      year: 1994,
      genres: ["drama"],
      votes: 0,
    });
    expect(parseBasicsRow("tt0000002\ttvMovie\tA\tA\t0\t\\N\t\\N\t\\N\t\\N", counts)).toMatchObject({
      mediaType: "movie",
      genres: [],
    });
    expect(
      parseBasicsRow("tt0903747\ttvSeries\tBreaking Bad\tx\t0\t2008\t2013\t49\tCrime,Drama,Thriller", counts)
        ?.mediaType,
    ).toBe("show");
    expect(
      parseBasicsRow("tt0000003\ttvMiniSeries\tB\tB\t0\t2001\t\\N\t\\N\tSci-Fi", counts)?.genres,
    ).toEqual(["science-fiction"]);
    expect(counts.skipped).toEqual({});
  });

  it("skips other title types and malformed rows with counted reasons, never throwing", () => {
    const counts = emptyCounts();
    const rows = [
      "tt0000004\ttvEpisode\tPilot\tPilot\t0\t2001\t\\N\t\\N\tDrama",
      "tt0000005\tshort\tS\tS\t0\t1901\t\\N\t\\N\tShort",
      "tt0000006\tmovie\tonly three\tcells",
      "nonsense\tmovie\tX\tX\t0\t2000\t\\N\t\\N\tDrama",
      "tt0000007\tmovie\tX\tX\t0\tsoon\t\\N\t\\N\tDrama",
      "tt0000008\tmovie\t\\N\tX\t0\t2000\t\\N\t\\N\tDrama",
    ];
    for (const row of rows) expect(parseBasicsRow(row, counts)).toBeUndefined();
    expect(counts.skipped).toEqual({
      "titleType tvEpisode": 1,
      "titleType short": 1,
      "malformed row": 3,
      "no title": 1,
    });
  });

  it("drops genres it has no slug for and counts them", () => {
    const counts = emptyCounts();
    expect(
      parseBasicsRow("tt0000009\tmovie\tX\tX\t0\t2000\t\\N\t\\N\tDrama,Cooking", counts)?.genres,
    ).toEqual(["drama"]);
    expect(counts.unknownGenres).toEqual({ Cooking: 1 });
  });
});

describe("IMDb title.ratings rows", () => {
  it("parses rating and votes, counts malformed rows", () => {
    const counts = emptyCounts();
    expect(parseRatingsRow("tt0111161\t9.3\t2900000", counts)).toEqual({
      imdbId: "tt0111161",
      rating: 9.3,
      votes: 2_900_000,
    });
    for (const row of [
      "tt1\t9\t1",
      "tt0111161\t11\t5",
      "tt0111161\t\\N\t5",
      "tt0111161\t7.0\t-3",
      "tt0111161\t7",
    ])
      expect(parseRatingsRow(row, counts)).toBeUndefined();
    expect(counts.skipped).toEqual({ "malformed row": 5 });
  });
});

describe("our JSON Lines rows", () => {
  it("takes TMDB or IMDb ids, languages, and an optional rating", () => {
    const counts = emptyCounts();
    expect(
      parseJsonLine(
        '{"mediaType":"movie","tmdbId":603,"title":"The Matrix","year":1999,"genres":["action","science-fiction"],"language":"en","rating":8.2,"votes":25000}',
        counts,
      ),
    ).toEqual({
      mediaType: "movie",
      tmdbId: 603,
      title: "The Matrix",
      year: 1999,
      genres: ["action", "science-fiction"],
      language: "en",
      rating: 8.2,
      votes: 25_000,
    });
    expect(
      parseJsonLine('{"mediaType":"show","imdbId":"tt0903747","title":"Breaking Bad"}', counts),
    ).toMatchObject({ imdbId: "tt0903747", votes: 0, genres: [] });
  });

  it("counts malformed lines (bad JSON, no id, wrong types) and unknown genres", () => {
    const counts = emptyCounts();
    for (const line of [
      "{not json",
      '{"mediaType":"movie","title":"No id"}',
      '{"mediaType":"film","tmdbId":1,"title":"x"}',
      '{"mediaType":"movie","tmdbId":1,"title":"x","extra":1}',
    ])
      expect(parseJsonLine(line, counts)).toBeUndefined();
    expect(
      parseJsonLine('{"mediaType":"movie","tmdbId":2,"title":"x","genres":["drama","cooking"]}', counts)
        ?.genres,
    ).toEqual(["drama"]);
    expect(counts.skipped).toEqual({ "malformed row": 4 });
    expect(counts.unknownGenres).toEqual({ cooking: 1 });
  });
});

describe("genre mapping", () => {
  it("maps every IMDb genre to a distinct slug that has a bit in the mask", () => {
    const slugs = Object.values(imdbGenreSlugs);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(imdbGenreSlugs["Sci-Fi"]).toBe("science-fiction");
    expect(imdbGenreSlugs["Reality-TV"]).toBe("reality");
    for (const slug of slugs) expect(genresOfMask(genreMask([slug]))).toEqual([slug]);
    expect(genresOfMask(genreMask(["drama", "western", "adult"]))).toEqual(["drama", "western", "adult"]);
  });
});

describe("source files", () => {
  it("tells the format from the file name, plain or gzipped", () => {
    expect(detectSource("x/title.basics.tsv.gz")).toEqual({
      name: "title.basics.tsv.gz",
      format: "imdb-basics",
      gzipped: true,
    });
    expect(detectSource("title.ratings.tsv")).toMatchObject({ format: "imdb-ratings", gzipped: false });
    expect(detectSource("mine.jsonl.gz")).toMatchObject({ format: "jsonl", gzipped: true });
    expect(detectSource("notes.txt")).toBeUndefined();
  });

  it("joins basics and ratings (gzipped or not), keeps unrated titles, counts what it skipped", async () => {
    const basics = [
      basicsHead,
      "tt0000001\tmovie\tA\tA\t0\t2000\t\\N\t\\N\tDrama",
      "tt0000002\ttvEpisode\tB\tB\t0\t2000\t\\N\t\\N\tDrama",
      "broken row",
      "tt0000003\ttvSeries\tC\tC\t0\t2010\t\\N\t\\N\tComedy",
    ].join("\n");
    const ratings = [ratingsHead, "tt0000001\t7.5\t1200", "tt0000002\t8.0\t10", "tt0000009\t\\N"].join("\n");
    const result = await ingestSources([
      file("title.basics.tsv.gz", basics),
      file("title.ratings.tsv", ratings),
    ]);
    expect(result.titles).toEqual([
      {
        mediaType: "movie",
        imdbId: "tt0000001",
        title: "A",
        year: 2000,
        genres: ["drama"],
        rating: 7.5,
        votes: 1200,
      },
      { mediaType: "show", imdbId: "tt0000003", title: "C", year: 2010, genres: ["comedy"], votes: 0 },
    ]);
    expect(result.counts).toMatchObject({
      read: 7,
      kept: 2,
      ratingsUnmatched: 1,
      skipped: { "titleType tvEpisode": 1, "malformed row": 2 },
    });
  });

  it("refuses a file whose name it cannot read, and ratings without basics", async () => {
    await expect(ingestSources([file("notes.txt", "x")])).rejects.toThrow(/not a catalog file/);
    await expect(ingestSources([file("title.ratings.tsv", ratingsHead)])).rejects.toThrow(
      /needs title.basics/,
    );
  });
});
