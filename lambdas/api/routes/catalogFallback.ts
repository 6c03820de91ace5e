/**
 * FALLBACK until issue 9 lands: `POST /lists/preview` and `GET /catalog/search` on the current
 * DynamoDB catalog, with exactly the shapes issue 9 specifies. Issue 9 builds both at full scale;
 * when it is merged, delete this file and its two entries in the route tables.
 */
import { z } from "zod";
import { type CatalogTitle, matchesFilters } from "../../../shared/domain/catalog.ts";
import { itemLimitBounds } from "../../../shared/domain/list.ts";
import { completeFilters } from "../../../shared/lists/newList.ts";
import { getServices } from "../../../shared/runtime/services.ts";
import { type ApiEvent, type ApiResult, badRequest, callerId, json, parseBody, validate } from "../http.ts";
import { createListSchema, mediaTypeSchema } from "../schemas.ts";

const fallbackCatalogVersion = "dynamodb-sample";

/** The custom list the body of `POST /lists` describes, exactly as the next sync would select it. Writes nothing. */
export async function previewList(event: ApiEvent): Promise<ApiResult> {
  callerId(event);
  const input = parseBody(event, createListSchema);
  if (input.listType !== "custom") throw badRequest("listType", "only custom lists have a preview");
  const filters = completeFilters(input.filters);
  const limit = input.itemLimit ?? itemLimitBounds.default;
  const items: ReturnType<typeof previewItem>[] = [];
  for await (const title of getServices().catalog.bestFirst()) {
    if (!matchesFilters(title, filters)) continue;
    items.push(previewItem(title, items.length + 1));
    if (items.length >= limit) break;
  }
  return json(200, { items, catalogVersion: fallbackCatalogVersion });
}

function previewItem(title: CatalogTitle, rank: number) {
  return {
    rank,
    mediaType: title.mediaType,
    tmdbId: title.tmdbId,
    ...(title.imdbId ? { imdbId: title.imdbId } : {}),
    title: title.title,
    year: title.year,
    rating: title.rating,
    votes: title.votes,
    genres: title.genres,
    language: title.language,
  };
}

const searchQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(200),
    mediaType: mediaTypeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).optional(),
  })
  .strict();

/** Folds case and accents so "amelie" finds "Amélie". */
const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

/** Titles whose title holds every word of `q`, best-ranked first, at most 50. */
export async function searchCatalog(event: ApiEvent): Promise<ApiResult> {
  callerId(event);
  const query = validate(searchQuerySchema, event.queryStringParameters ?? {});
  const words = fold(query.q).split(/\s+/).filter(Boolean);
  const limit = query.limit ?? 20;
  const items = [];
  for await (const title of getServices().catalog.bestFirst()) {
    if (query.mediaType && title.mediaType !== query.mediaType) continue;
    const folded = fold(title.title);
    if (!words.every((word) => folded.includes(word))) continue;
    const { rank: _rank, language: _language, ...item } = previewItem(title, 0);
    items.push(item);
    if (items.length >= limit) break;
  }
  return json(200, { items });
}
