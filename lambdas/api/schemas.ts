import { z } from "zod";
import { itemLimitBounds, listTypes, privacies, titleMaxLength } from "../../shared/domain/list.ts";
import { imdbIdPattern, mediaTypes } from "../../shared/domain/media.ts";

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

export const filtersSchema = z
  .object({
    mediaTypes: z.array(mediaTypeSchema).min(1).max(2).optional(),
    genres: z.array(z.string().trim().toLowerCase().min(1).max(40)).max(30).optional(),
    genreMatch: z.enum(["any", "all"]).optional(),
    languages: z
      .array(z.string().regex(/^[a-z]{2}$/, "must be a two-letter ISO 639-1 code"))
      .max(30)
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

export const createListSchema = z
  .object({
    title: titleSchema,
    listType: z.enum(listTypes),
    filters: filtersSchema.optional(),
    itemLimit: itemLimitSchema.optional(),
    privacy: z.enum(privacies).optional(),
    items: itemsSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
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
  });
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
