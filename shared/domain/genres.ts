/**
 * Our genre slugs and how IMDb's genre names map onto them. A slug's position is its bit in the
 * catalog snapshot's genre mask, so the list only ever grows at the end (at most 32 entries).
 *
 * | IMDb        | slug              | IMDb        | slug        |
 * |-------------|-------------------|-------------|-------------|
 * | Action      | action            | Horror      | horror      |
 * | Adventure   | adventure         | Music       | music       |
 * | Animation   | animation         | Musical     | musical     |
 * | Biography   | biography         | Mystery     | mystery     |
 * | Comedy      | comedy            | News        | news        |
 * | Crime       | crime             | Reality-TV  | reality     |
 * | Documentary | documentary       | Romance     | romance     |
 * | Drama       | drama             | Sci-Fi      | science-fiction |
 * | Family      | family            | Short       | short       |
 * | Fantasy     | fantasy           | Sport       | sport       |
 * | Film-Noir   | film-noir         | Talk-Show   | talk-show   |
 * | Game-Show   | game-show         | Thriller    | thriller    |
 * | History     | history           | War         | war         |
 * | Adult       | adult             | Western     | western     |
 */
export const genreSlugs = [
  "action",
  "adventure",
  "animation",
  "comedy",
  "crime",
  "documentary",
  "drama",
  "family",
  "fantasy",
  "history",
  "horror",
  "music",
  "mystery",
  "romance",
  "science-fiction",
  "thriller",
  "war",
  "western",
  "biography",
  "film-noir",
  "game-show",
  "musical",
  "news",
  "reality",
  "short",
  "sport",
  "talk-show",
  "adult",
] as const;
export type GenreSlug = (typeof genreSlugs)[number];

/** IMDb's genre names (as in `title.basics.tsv.gz`) → our slugs. */
export const imdbGenreSlugs: Readonly<Record<string, GenreSlug>> = {
  Action: "action",
  Adult: "adult",
  Adventure: "adventure",
  Animation: "animation",
  Biography: "biography",
  Comedy: "comedy",
  Crime: "crime",
  Documentary: "documentary",
  Drama: "drama",
  Family: "family",
  Fantasy: "fantasy",
  "Film-Noir": "film-noir",
  "Game-Show": "game-show",
  History: "history",
  Horror: "horror",
  Music: "music",
  Musical: "musical",
  Mystery: "mystery",
  News: "news",
  "Reality-TV": "reality",
  Romance: "romance",
  "Sci-Fi": "science-fiction",
  Short: "short",
  Sport: "sport",
  "Talk-Show": "talk-show",
  Thriller: "thriller",
  War: "war",
  Western: "western",
};

const bitOfSlug = new Map<string, number>(genreSlugs.map((slug, index) => [slug, index]));

/** The bit of a slug in a genre mask, or undefined for a slug we do not know. */
export function genreBit(slug: string): number | undefined {
  return bitOfSlug.get(slug);
}

/** The mask of the given slugs; unknown slugs add nothing. */
export function genreMask(slugs: readonly string[]): number {
  let mask = 0;
  for (const slug of slugs) {
    const bit = bitOfSlug.get(slug);
    if (bit !== undefined) mask |= 1 << bit;
  }
  return mask >>> 0;
}

/** The slugs of a mask, in slug order. */
export function genresOfMask(mask: number): GenreSlug[] {
  const slugs: GenreSlug[] = [];
  for (let bit = 0; bit < genreSlugs.length; bit++) if (mask & (1 << bit)) slugs.push(genreSlugs[bit]!);
  return slugs;
}
