import { describe, expect, it } from "vitest";
import { byRank } from "#domain/item.ts";
import { titleKey, traktCollectionKey } from "#domain/media.ts";

describe("byRank", () => {
  it("sorts by ascending rank", () => {
    // Prepare
    const items = [{ rank: 3 }, { rank: 1 }, { rank: 2 }];

    // Act
    const sorted = [...items].sort(byRank);

    // Assess
    expect(sorted.map((i) => i.rank)).toEqual([1, 2, 3]);
  });
});

describe("titleKey and traktCollectionKey", () => {
  it("keys a title by media type and TMDB id, so a movie and a show with one id differ", () => {
    // Prepare
    const movie = { mediaType: "movie" as const, tmdbId: 5 };
    const show = { mediaType: "show" as const, tmdbId: 5 };

    // Act
    const keys = [titleKey(movie), titleKey(show)];

    // Assess
    expect(keys).toEqual(["movie:5", "show:5"]);
  });

  it("maps media types to Trakt's plural body keys", () => {
    // Prepare
    const types = ["movie", "show"] as const;

    // Act
    const keys = types.map(traktCollectionKey);

    // Assess
    expect(keys).toEqual(["movies", "shows"]);
  });
});
