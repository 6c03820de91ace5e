import { z } from "zod";
import { catalogGenres, catalogLanguages } from "#domain/catalogVocabulary.ts";
import { itemLimitBounds, listTypes, privacies, titleMaxLength } from "#domain/list.ts";
import { imdbIdPattern, mediaTypes } from "#domain/media.ts";

const year = z.int().min(1870).max(2100);
export const mediaTypeSchema = z.enum(mediaTypes);
export const tmdbIdSchema = z.int().positive().max(2_147_483_647);

export const imdbIdSchema = z.string().regex(imdbIdPattern, "must look like tt0111161");

/** A manual item: `{mediaType, tmdbId}` or `{mediaType, imdbId}` (or both). */
export const itemInputSchema = z
  .object({
    mediaType: mediaTypeSchema,
    tmdbId: tmdbIdSchema.optional(),
    title: z.string().trim().min(1).max(300).optional(),
    year: year.optional(),
    imdbId: imdbIdSchema.optional(),
  })
  .strict()
  .refine((item) => item.tmdbId !== undefined || item.imdbId !== undefined, {
    path: ["tmdbId"],
    message: "an item needs a tmdbId or an imdbId",
  });
export type ItemInput = z.infer<typeof itemInputSchema>;

/** Names the first value outside the documented set, on the array's own field (`filters.genres`). */
function knownValues(what: string, valid: readonly string[]) {
  const known = new Set(valid);
  return (values: string[], ctx: z.RefinementCtx) => {
    const unknown = values.find((value) => !known.has(value));
    if (unknown === undefined) return;
    ctx.addIssue({
      code: "custom",
      message: `unknown ${what} "${unknown}"; GET /catalog/genres lists the valid ones`,
    });
  };
}

export const filtersSchema = z
  .object({
    mediaTypes: z.array(mediaTypeSchema).min(1).max(2).optional(),
    genres: z
      .array(z.string().trim().toLowerCase().min(1).max(40))
      .max(30)
      .superRefine(knownValues("genre", catalogGenres))
      .optional(),
    genreMatch: z.enum(["any", "all"]).optional(),
    languages: z
      .array(z.string().regex(/^[a-z]{2}$/, "must be a two-letter ISO 639-1 code"))
      .max(30)
      .superRefine(knownValues("language", catalogLanguages))
      .optional(),
    yearFrom: year.optional(),
    yearTo: year.optional(),
    minRating: z.number().min(0).max(10).optional(),
    minVotes: z.int().min(0).max(1_000_000_000).optional(),
  })
  .strict()
  .refine((f) => f.yearFrom === undefined || f.yearTo === undefined || f.yearFrom <= f.yearTo, {
    path: ["yearTo"],
    message: "must not be before yearFrom",
  });
export type FiltersInput = z.infer<typeof filtersSchema>;

const titleSchema = z.string().trim().min(1).max(titleMaxLength);
const itemLimitSchema = z.int().min(itemLimitBounds.min).max(itemLimitBounds.max);
const itemsSchema = z.array(itemInputSchema).max(itemLimitBounds.max);

const listFields = {
  title: titleSchema,
  listType: z.enum(listTypes),
  filters: filtersSchema.optional(),
  itemLimit: itemLimitSchema.optional(),
  privacy: z.enum(privacies).optional(),
  items: itemsSchema.optional(),
};

type NewListFields = {
  listType: (typeof listTypes)[number];
  filters?: unknown;
  items?: readonly unknown[] | undefined;
  itemLimit?: number | undefined;
};

/** Rules across fields of a new list, shared by `POST /lists` and `npm run import-lists`. */
function newListRules(input: NewListFields, ctx: z.RefinementCtx): void {
  if (input.listType === "manual" && input.filters) {
    ctx.addIssue({ code: "custom", path: ["filters"], message: "only custom lists take filters" });
  }
  if (input.listType === "custom" && input.items) {
    ctx.addIssue({
      code: "custom",
      path: ["items"],
      message: "custom lists are filled from the catalog; use a manual list",
    });
  }
  if (input.items && input.itemLimit !== undefined && input.items.length > input.itemLimit) {
    ctx.addIssue({
      code: "custom",
      path: ["items"],
      message: `more items than itemLimit (${input.itemLimit})`,
    });
  }
}

export const createListSchema = z.object(listFields).strict().superRefine(newListRules);
export type CreateListInput = z.infer<typeof createListSchema>;

export const updateListSchema = z
  .object({
    title: titleSchema.optional(),
    filters: filtersSchema.optional(),
    itemLimit: itemLimitSchema.optional(),
    privacy: z.enum(privacies).optional(),
  })
  .strict()
  .refine((input) => Object.keys(input).length > 0, { path: ["body"], message: "nothing to change" });
export type UpdateListInput = z.infer<typeof updateListSchema>;

export const addItemsSchema = z.object({ items: itemsSchema.min(1) }).strict();

export const syncQuerySchema = z.object({ force_full: z.enum(["true", "false"]).optional() }).strict();

export const deleteAccountQuerySchema = z
  .object({ keepTraktLists: z.enum(["true", "false"]).optional() })
  .strict();

/** A list of `npm run import-lists`: a new list's fields and rules, plus its owner and Trakt list id. */
export const importedListSchema = z
  .object({
    ...listFields,
    userId: z.string().min(1).max(200),
    traktListId: z.int().positive().max(2_147_483_647).optional(),
    items: z
      .array(itemInputSchema.extend({ rank: z.int().min(0).max(1_000_000).optional() }))
      .max(itemLimitBounds.max)
      .optional(),
  })
  .strict()
  .superRefine(newListRules);

/** Path ids: list ids are UUIDs here, imported ones at most 64 of these characters. Others are simply not found. */
export const listIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
