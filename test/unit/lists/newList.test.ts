import { describe, expect, it } from "vitest";
import type { CatalogTitle } from "#domain/catalog.ts";
import { defaultFilters } from "#domain/filters.ts";
import type { ListItem } from "#domain/item.ts";
import { completeFilters, type ItemPick, importOrder, newListRecord, picksToItems } from "#lists/newList.ts";
import { catalogTitle } from "#test/support/builders.ts";

const now = new Date("2024-05-06T07:08:09.010Z");

describe("newListRecord", () => {
  it("creates a custom list pending its first sync, with complete filters and defaults", () => {
    // Prepare
    const input = { title: "Best dramas", listType: "custom" as const, filters: { genres: ["drama"] } };

    // Act
    const list = newListRecord("user-1", input, now);

    // Assess
    expect(list).toMatchObject({
      userId: "user-1",
      title: "Best dramas",
      listType: "custom",
      filters: { ...defaultFilters, genres: ["drama"] },
      itemLimit: 100,
      privacy: "private",
      syncState: "pending",
      localItemCount: 0,
      lastAdded: 0,
      lastRemoved: 0,
      notFound: [],
      createdAt: "2024-05-06T07:08:09.010Z",
      updatedAt: "2024-05-06T07:08:09.010Z",
    });
    expect(list.traktListId).toBeUndefined();
  });

  it("creates a manual list without filters, allowing the maximum item count by default", () => {
    // Prepare
    const input = { title: "Picks", listType: "manual" as const };

    // Act
    const list = newListRecord("user-1", input, now, 7);

    // Assess
    expect(list).not.toHaveProperty("filters");
    expect(list.itemLimit).toBe(5_000);
    expect(list.localItemCount).toBe(7);
  });

  it("drops filters sent for a manual list", () => {
    // Prepare
    const input = { title: "Picks", listType: "manual" as const, filters: { genres: ["drama"] } };

    // Act
    const list = newListRecord("user-1", input, now);

    // Assess
    expect(list).not.toHaveProperty("filters");
  });

  it("keeps the given item limit and privacy", () => {
    // Prepare
    const input = { title: "Top 10", listType: "custom" as const, itemLimit: 10, privacy: "public" as const };

    // Act
    const list = newListRecord("user-1", input, now);

    // Assess
    expect(list.itemLimit).toBe(10);
    expect(list.privacy).toBe("public");
  });

  it("gives every new list its own id", () => {
    // Prepare
    const input = { title: "Picks", listType: "manual" as const };

    // Act
    const first = newListRecord("user-1", input, now);
    const second = newListRecord("user-1", input, now);

    // Assess
    expect(first.listId).not.toBe(second.listId);
    expect(first.listId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("completeFilters", () => {
  it("returns the default filters when none are given", () => {
    // Prepare
    const given = undefined;

    // Act
    const complete = completeFilters(given);

    // Assess
    expect(complete).toEqual(defaultFilters);
  });

  it("lets given fields override the defaults and keeps the others", () => {
    // Prepare
    const given = { mediaTypes: ["show" as const], genreMatch: "all" as const, yearFrom: 1990 };

    // Act
    const complete = completeFilters(given);

    // Assess
    expect(complete).toEqual({
      mediaTypes: ["show"],
      genres: [],
      genreMatch: "all",
      languages: [],
      yearFrom: 1990,
    });
  });
});

interface PicksCase {
  picks: ItemPick[];
  /** Titles already on the list, and the rank the new items follow. */
  existing?: string[];
  startRank?: number;
  items: ListItem[];
}

const fightClub = {
  mediaType: "movie",
  tmdbId: 550,
  imdbId: "tt0137523",
  title: "Fight Club",
  year: 1999,
} as const;
const breakingBad = { mediaType: "show", tmdbId: 1396, title: "Breaking Bad", year: 2008 } as const;

const picksCases: Record<string, PicksCase> = {
  "ranks picks 1..n in the order given": {
    picks: [
      { mediaType: "show", tmdbId: 1396 },
      { mediaType: "movie", tmdbId: 550 },
    ],
    items: [
      { ...breakingBad, rank: 1 },
      { ...fightClub, rank: 2 },
    ],
  },
  "takes title, year and IMDb id from the catalog over what the caller sent": {
    picks: [{ mediaType: "movie", tmdbId: 550, title: "Wrong", year: 1900, imdbId: "tt9999999" }],
    items: [{ ...fightClub, rank: 1 }],
  },
  "keeps the caller's IMDb id when the catalog title has none": {
    picks: [{ mediaType: "show", tmdbId: 1396, imdbId: "tt0903747" }],
    items: [{ ...breakingBad, imdbId: "tt0903747", rank: 1 }],
  },
  "keeps what the caller sent for titles the catalog does not know": {
    picks: [{ mediaType: "movie", tmdbId: 1, title: "Obscure", year: 1950, imdbId: "tt0000001" }],
    items: [{ mediaType: "movie", tmdbId: 1, imdbId: "tt0000001", rank: 1, title: "Obscure", year: 1950 }],
  },
  "names an unknown title without a given title after its TMDB id": {
    picks: [{ mediaType: "show", tmdbId: 42 }],
    items: [{ mediaType: "show", tmdbId: 42, rank: 1, title: "TMDB show 42" }],
  },
  "drops repeated picks of a title but keeps a show with a movie's TMDB id": {
    picks: [
      { mediaType: "movie", tmdbId: 550 },
      { mediaType: "movie", tmdbId: 550 },
      { mediaType: "show", tmdbId: 550 },
    ],
    items: [
      { ...fightClub, rank: 1 },
      { mediaType: "show", tmdbId: 550, rank: 2, title: "TMDB show 550" },
    ],
  },
  "drops titles already on the list and ranks the rest after startRank": {
    picks: [
      { mediaType: "movie", tmdbId: 550 },
      { mediaType: "movie", tmdbId: 2 },
      { mediaType: "movie", tmdbId: 3 },
    ],
    existing: ["movie:550"],
    startRank: 40,
    items: [
      { mediaType: "movie", tmdbId: 2, rank: 41, title: "TMDB movie 2" },
      { mediaType: "movie", tmdbId: 3, rank: 42, title: "TMDB movie 3" },
    ],
  },
};

describe("picksToItems", () => {
  const catalog = new Map<string, CatalogTitle>([
    ["movie:550", catalogTitle({ tmdbId: 550, title: "Fight Club", year: 1999, imdbId: "tt0137523" })],
    ["show:1396", catalogTitle({ tmdbId: 1396, mediaType: "show", title: "Breaking Bad", year: 2008 })],
  ]);

  it.each(Object.entries(picksCases))("%s", (_name, { picks, existing, startRank, items }) => {
    // Act
    const made = picksToItems(picks, catalog, new Set(existing), startRank);

    // Assess
    expect(made).toEqual(items);
  });

  it("does not change the caller's set of existing titles", () => {
    // Prepare
    const existing = new Set(["movie:550"]);

    // Act
    picksToItems([{ mediaType: "movie", tmdbId: 2 }], catalog, existing);

    // Assess
    expect([...existing]).toEqual(["movie:550"]);
  });
});

describe("importOrder", () => {
  it("orders imported picks by rank, with unranked ones after every ranked one in file order", () => {
    // Prepare
    const picks = [
      { tmdbId: 1 },
      { tmdbId: 2, rank: 3 },
      { tmdbId: 3 },
      { tmdbId: 4, rank: 1 },
      { tmdbId: 5, rank: 3 },
      { tmdbId: 6, rank: 2 },
    ];

    // Act
    const ordered = importOrder(picks);

    // Assess
    expect(ordered.map((pick) => pick.tmdbId)).toEqual([4, 6, 2, 5, 1, 3]);
  });
});
