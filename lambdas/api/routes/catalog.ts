import { z } from "zod";
import { CatalogUnavailableError } from "#catalog/CatalogService.ts";
import { catalogGenres, catalogLanguages } from "#domain/catalogVocabulary.ts";
import { itemLimitBounds } from "#domain/list.ts";
import { completeFilters } from "#lists/newList.ts";
import { getServices } from "#runtime/services.ts";
import { ApiError, badRequest, json, parseBody, type RouteHandler, validate } from "../http.ts";
import { createListSchema, mediaTypeSchema } from "../schemas.ts";

/** Most titles one search answers. */
export const searchLimitMax = 50;

/**
 * `POST /lists/preview`: the body of `POST /lists` for a custom list; answers the items exactly as
 * the next sync would build them from the current catalog version. Writes nothing.
 */
export const previewList: RouteHandler = async (event) => {
  const input = parseBody(event, createListSchema);
  if (input.listType !== "custom")
    throw badRequest("listType", "listType: only custom lists can be previewed");
  try {
    const preview = await getServices().catalog.preview(
      completeFilters(input.filters),
      input.itemLimit ?? itemLimitBounds.default,
    );
    return json(200, preview);
  } catch (error) {
    if (error instanceof CatalogUnavailableError) throw catalogUnavailable(error);
    throw error;
  }
};

const searchQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(200),
    mediaType: mediaTypeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(searchLimitMax).optional(),
  })
  .strict();

/** `GET /catalog/search?q=&mediaType=&limit=`: titles by words of their title, best-ranked first. */
export const searchCatalog: RouteHandler = async (event) => {
  const query = validate(searchQuerySchema, event.queryStringParameters ?? {});
  const items = await getServices().catalog.search(query.q, query.limit ?? 20, query.mediaType);
  return json(200, { items });
};

/** `GET /catalog`: the version being served. */
export const catalogInfo: RouteHandler = async (_event) => {
  const meta = await getServices().catalog.info();
  if (!meta) throw catalogUnavailable(new CatalogUnavailableError());
  const { version, titleCount, movies, shows, publishedAt, sources } = meta;
  return json(200, { version, titleCount, movies, shows, publishedAt, sources });
};

function catalogUnavailable(error: Error): ApiError {
  return new ApiError(503, "catalog_unavailable", error.message);
}

/** `GET /catalog/genres`: the values custom-list filters accept: `genres` and `languages` (ISO 639-1). */
export const catalogVocabulary: RouteHandler = async () => {
  return json(200, { genres: catalogGenres, languages: catalogLanguages });
};
