import { describe, expect, it } from "vitest";
import { Catalog } from "#catalog/Catalog.ts";
import { decodeSnapshot, encodeSnapshot } from "#catalog/snapshot.ts";
import { type CatalogTitle, matchesFilters, rankScore } from "#domain/catalog.ts";
import { type CustomListFilters, defaultFilters } from "#domain/filters.ts";

function catalogOf(titles: CatalogTitle[]): Catalog {
  const { bytes } = encodeSnapshot(titles, {
    version: "v1",
    publishedAt: "2026-01-01T00:00:00.000Z",
    sources: ["t.jsonl"],
  });
  return new Catalog(decodeSnapshot(bytes));
}

const t = (over: Partial<CatalogTitle> & { title: string }): CatalogTitle => ({
  mediaType: "movie",
  genres: ["drama"],
  votes: 5000,
  rating: 7,
  year: 2000,
  ...over,
});

/** Deterministic mixed catalog, to compare the typed-array pass with the plain filter definition. */
function mixed(count: number): CatalogTitle[] {
  const genres = ["drama", "comedy", "science-fiction", "horror", "documentary"];
  return Array.from({ length: count }, (_, i) => ({
    mediaType: i % 7 === 0 ? "show" : "movie",
    ...(i % 3 === 0 ? { imdbId: `tt${String(i + 1).padStart(7, "0")}` } : { tmdbId: i + 1 }),
    title: `Title ${i}`,
    ...(i % 50 === 0 ? {} : { year: 1900 + (i % 127) }),
    genres: [genres[i % 5]!, genres[(i * 3) % 5]!].filter((g, k, all) => all.indexOf(g) === k).sort(),
    ...(i % 11 === 0 ? {} : { language: ["en", "fr", "ja"][i % 3]! }),
    ...(i % 9 === 0 ? {} : { rating: ((i * 37) % 91) / 10 + 1 }),
    votes: i % 9 === 0 ? 0 : (i * 7919) % 100_000,
  }));
}

const filterSets: Partial<CustomListFilters>[] = [
  {},
  { genres: ["drama", "horror"], genreMatch: "all" },
  { genres: ["science-fiction", "comedy"] },
  { mediaTypes: ["show"], minVotes: 50_000 },
  { yearFrom: 1990, yearTo: 2000, minRating: 7.2 },
  { yearTo: 1950 },
  { languages: ["fr"], minRating: 0 },
  { languages: ["de"] },
  { genres: ["cooking"], genreMatch: "all" },
];

describe("catalog snapshot", () => {
  it("round-trips every title field", () => {
    const titles = mixed(40);
    const catalog = catalogOf(titles);
    expect(catalog.meta).toMatchObject({
      version: "v1",
      titleCount: 40,
      movies: 34,
      shows: 6,
      sources: ["t.jsonl"],
    });
    const back = Array.from({ length: 40 }, (_, i) => catalog.title(i));
    const byName = (a: CatalogTitle, b: CatalogTitle) => a.title.localeCompare(b.title);
    expect(back.sort(byName)).toEqual([...titles].sort(byName));
  });

  it("stores titles best first by the Bayesian weighted rating; unrated titles last", () => {
    const catalog = catalogOf([
      t({ title: "few votes", rating: 9.5, votes: 12 }),
      t({ title: "many votes", rating: 8.4, votes: 200_000 }),
      t({ title: "unrated", rating: undefined, votes: 0 }),
      t({ title: "poor", rating: 3, votes: 100_000 }),
    ]);
    expect([0, 1, 2, 3].map((i) => catalog.title(i).title)).toEqual([
      "many votes",
      "few votes",
      "poor",
      "unrated",
    ]);
    expect(rankScore({ rating: 9.5, votes: 12 })).toBeLessThan(rankScore({ rating: 8.4, votes: 200_000 }));
  });

  it("breaks ties by votes, then media type, then TMDB id, then IMDb id", () => {
    const catalog = catalogOf([
      t({ title: "show", mediaType: "show", tmdbId: 1, rating: 7, votes: 1000 }),
      t({ title: "imdb only", imdbId: "tt0000005", rating: 7, votes: 1000 }),
      t({ title: "tmdb 9", tmdbId: 9, rating: 7, votes: 1000 }),
      t({ title: "tmdb 2", tmdbId: 2, rating: 7, votes: 1000 }),
      t({ title: "imdb 3", imdbId: "tt0000003", rating: 7, votes: 1000 }),
    ]);
    expect([0, 1, 2, 3, 4].map((i) => catalog.title(i).title)).toEqual([
      "tmdb 2",
      "tmdb 9",
      "imdb 3",
      "imdb only",
      "show",
    ]);
  });
});

describe("custom list selection", () => {
  const titles = mixed(3000);
  const catalog = catalogOf(titles);
  const ordered = Array.from({ length: titles.length }, (_, i) => catalog.title(i));

  it.each(filterSets)("picks exactly the best-first titles the filter definition accepts (%j)", (partial) => {
    const filters = { ...defaultFilters, ...partial };
    const expected = ordered.filter((title) => matchesFilters(title, filters)).slice(0, 200);
    const selection = catalog.select(filters, 200);
    expect(selection.items.map((i) => `${i.mediaType}:${i.tmdbId ?? i.imdbId}`)).toEqual(
      expected.map((i) => `${i.mediaType}:${i.tmdbId ?? i.imdbId}`),
    );
    expect(selection.items.map((i) => i.rank)).toEqual(expected.map((_, k) => k + 1));
  });

  it("hashes the selected ids in order: same selection, same hash; any change, another", () => {
    const a = catalog.select({ ...defaultFilters, genres: ["drama"] }, 50);
    const b = catalog.select({ ...defaultFilters, genres: ["drama"] }, 50);
    const c = catalog.select({ ...defaultFilters, genres: ["drama"] }, 49);
    expect(a.selectionHash).toBe(b.selectionHash);
    expect(c.selectionHash).not.toBe(a.selectionHash);
    expect(a.catalogVersion).toBe("v1");
  });

  it("finds titles by TMDB or IMDb id", () => {
    const found = catalog.lookup([
      { mediaType: "movie", tmdbId: 2 },
      { mediaType: "movie", imdbId: "tt0000004" },
      { mediaType: "show", tmdbId: 2 },
    ]);
    expect([...found.keys()]).toEqual(["movie:2", "movie:tt0000004"]);
    expect(found.get("movie:2")?.title).toBe("Title 1");
  });
});

describe("title search", () => {
  const catalog = catalogOf([
    t({ title: "Amélie", tmdbId: 1, votes: 900_000, rating: 8.3 }),
    t({ title: "Le Fabuleux Destin d'Amélie Poulain", tmdbId: 2, votes: 100 }),
    t({ title: "Star Wars", tmdbId: 3, votes: 1_000_000, rating: 8.6 }),
    t({ title: "Star Trek", mediaType: "show", tmdbId: 4, votes: 400_000, rating: 8.3 }),
    t({ title: "Lonestar", tmdbId: 5 }),
  ]);
  const names = (indexes: number[]) => indexes.map((i) => catalog.title(i).title);

  it("matches word prefixes, case- and accent-insensitively, best-ranked first", () => {
    expect(names(catalog.search("AMELIE", 10))).toEqual(["Amélie", "Le Fabuleux Destin d'Amélie Poulain"]);
    expect(names(catalog.search("star", 10))).toEqual(["Star Wars", "Star Trek"]);
    expect(names(catalog.search("wa st", 10))).toEqual(["Star Wars"]);
    expect(names(catalog.search("star", 1))).toEqual(["Star Wars"]);
    expect(names(catalog.search("star", 10, "show"))).toEqual(["Star Trek"]);
    expect(names(catalog.search("  ", 10))).toEqual([]);
    expect(names(catalog.search("zzz", 10))).toEqual([]);
  });
});
