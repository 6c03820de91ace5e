/**
 * `npm run import-lists -- file.json`: loads lists (and their items) from an older system as they
 * are, possibly without Trakt list ids. Each imported list enters the normal flow (its stream INSERT
 * creates or adopts its Trakt list) and the repair index, so the backfill repairs whatever does not
 * make it.
 *
 * File: {"lists": [{userId, title, listType, filters?, itemLimit?, privacy?, traktListId?,
 *        items?: [{mediaType, tmdbId, title?, year?, imdbId?, rank?}]}]}  (or just the array)
 * Items are ordered by `rank`; items without one come after the ranked ones, in file order.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { validate } from "#lambdas/api/http.ts";
import { importedListSchema } from "#lambdas/api/schemas.ts";
import { createList } from "#lists/createList.ts";
import { getServices } from "#runtime/services.ts";
import { attachToRunningStack } from "./runningStack.ts";

const importFileSchema = z.union([
  z.object({ lists: z.array(importedListSchema) }).strict(),
  z.array(importedListSchema),
]);

const path = process.argv[2];
if (!path) {
  console.error("usage: npm run import-lists -- <file.json>");
  process.exit(2);
}
let parsed: z.infer<typeof importFileSchema>;
try {
  parsed = validate(importFileSchema, JSON.parse(readFileSync(path, "utf8")));
} catch (error) {
  console.error(`Cannot import ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const imported = Array.isArray(parsed) ? parsed : parsed.lists;

attachToRunningStack();
const services = getServices();
let itemCount = 0;
for (const [index, input] of imported.entries()) {
  const created = await createList(services, input);
  itemCount += created.itemCount;
  console.log(
    `  [${index + 1}/${imported.length}] ${input.userId} / "${input.title}" (${input.listType}, ${created.itemCount} items${
      input.traktListId ? `, Trakt list ${input.traktListId}` : ", no Trakt list yet"
    }) → ${created.list.listId}`,
  );
}
console.log(`Imported ${imported.length} lists with ${itemCount} items.`);
