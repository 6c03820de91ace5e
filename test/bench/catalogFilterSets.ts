import type { CustomListFilters } from "#domain/filters.ts";

/** The 20 filter sets of the catalog benchmark: broad, narrow and empty ones, genres any/all, year ranges, vote floors. */
export const benchFilterSets: readonly [string, Partial<CustomListFilters>][] = [
  ["broad: everything", {}],
  ["movies", { mediaTypes: ["movie"] }],
  ["shows", { mediaTypes: ["show"] }],
  ["drama", { genres: ["drama"] }],
  ["comedy or romance", { genres: ["comedy", "romance"] }],
  ["crime and drama (all)", { genres: ["crime", "drama"], genreMatch: "all" }],
  ["sci-fi, ≥1,000 votes", { genres: ["science-fiction"], minVotes: 1_000 }],
  ["horror shows, ≥500 votes", { mediaTypes: ["show"], genres: ["horror"], minVotes: 500 }],
  ["2000 onwards", { yearFrom: 2000 }],
  ["1950–1979", { yearFrom: 1950, yearTo: 1979 }],
  ["2020–2026 ≥1,000 votes", { yearFrom: 2020, minVotes: 1_000 }],
  ["≥10,000 votes", { minVotes: 10_000 }],
  ["≥100,000 votes", { minVotes: 100_000 }],
  ["rating ≥8", { minRating: 8 }],
  ["rating ≥7.5, ≥5,000 votes", { minRating: 7.5, minVotes: 5_000 }],
  ["narrow: war+western (all) before 1960", { genres: ["war", "western"], genreMatch: "all", yearTo: 1959 }],
  ["narrow: film-noir shows", { mediaTypes: ["show"], genres: ["film-noir"] }],
  [
    "narrow: documentary ≥50,000 votes, rating ≥8",
    { genres: ["documentary"], minVotes: 50_000, minRating: 8 },
  ],
  ["empty: rating 10 with ≥1 M votes", { minRating: 10, minVotes: 1_000_000 }],
  ["empty: language sv (IMDb data has none)", { languages: ["sv"] }],
];
