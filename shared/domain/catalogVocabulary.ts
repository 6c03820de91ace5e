import { type GenreSlug, genreSlugs } from "./genres.ts";

/**
 * The values custom-list filters accept, and the only ones catalog titles are matched on: our genre
 * slugs (TMDB's movie genres with `science-fiction` spelled out, plus the IMDb genres TMDB lacks; the
 * mapping is in shared/domain/genres.ts) and ISO 639-1 language codes.
 * `GET /catalog/genres` answers both; the README lists them.
 */
export const catalogGenres = genreSlugs;
export type CatalogGenre = GenreSlug;

/** Every ISO 639-1 two-letter language code. */
export const catalogLanguages = (
  "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el " +
  "en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it " +
  "iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt " +
  "my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl " +
  "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo " +
  "za zh zu"
).split(" ");
