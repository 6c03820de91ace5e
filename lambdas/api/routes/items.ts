import { z } from "zod";
import { userLimits } from "#config/limits.ts";
import { titleKey } from "#domain/media.ts";
import { picksToItems } from "#lists/newList.ts";
import { getServices } from "#runtime/services.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import {
  type ApiEvent,
  type ApiResult,
  badRequest,
  callerId,
  json,
  notFound,
  parseBody,
  pathParam,
  quotaExceeded,
} from "../http.ts";
import { itemsView } from "../listView.ts";
import { addItemsSchema, imdbIdSchema, mediaTypeSchema, tmdbIdSchema } from "../schemas.ts";

export async function getItems(event: ApiEvent): Promise<ApiResult> {
  const { lists, items } = getServices();
  const list = await lists.get(callerId(event), pathParam(event, "id"));
  if (!list) throw notFound();
  return json(200, { items: itemsView(list, await items.getItems(list.listId)) });
}

export async function addItems(event: ApiEvent): Promise<ApiResult> {
  const userId = callerId(event);
  const listId = pathParam(event, "id");
  const input = parseBody(event, addItemsSchema);
  const { lists, items, catalog, queue } = getServices();
  const list = await lists.get(userId, listId);
  if (!list) throw notFound();
  if (list.listType !== "manual") {
    throw badRequest(
      "items",
      "custom lists are filled from the catalog; items can only be added to manual lists",
    );
  }
  const current = await items.getItems(listId);
  const lastRank = current.reduce((max, item) => Math.max(max, item.rank), 0);
  const added = picksToItems(
    input.items,
    await catalog.lookup(input.items),
    new Set(current.map(titleKey)),
    lastRank,
  );
  const { maxItemsPerList } = userLimits();
  if (current.length + added.length > maxItemsPerList) {
    throw quotaExceeded(
      "maxItemsPerList",
      maxItemsPerList,
      `A list holds at most ${maxItemsPerList} items; this would make ${current.length + added.length}`,
      "items",
    );
  }
  if (current.length + added.length > list.itemLimit) {
    throw badRequest(
      "items",
      `the list would have ${current.length + added.length} items; its itemLimit is ${list.itemLimit}`,
    );
  }
  await items.putItems(listId, added);
  await lists.update(userId, listId, { localItemCount: current.length + added.length });
  await queue.enqueue(newSyncRequest(userId, listId, "items_changed"));
  return json(200, { added: added.length, itemCount: current.length + added.length });
}

/**
 * `DELETE /lists/{id}/items/{mediaType}/{tmdbId}` and `…/{mediaType}/{imdbId}` share one route (API
 * Gateway cannot tell two path parameters of one position apart): an IMDb id looks like `tt0111161`,
 * a TMDB id is a number.
 */
const itemPathSchema = z.object({
  mediaType: mediaTypeSchema,
  tmdbId: z.union([imdbIdSchema, z.coerce.number().pipe(tmdbIdSchema)]),
});

export async function removeItem(event: ApiEvent): Promise<ApiResult> {
  const userId = callerId(event);
  const listId = pathParam(event, "id");
  const path = itemPathSchema.safeParse({
    mediaType: pathParam(event, "mediaType"),
    tmdbId: pathParam(event, "tmdbId"),
  });
  // Bounded like the ids in bodies; a path naming an impossible item names no item.
  if (!path.success) throw notFound("item");
  const { mediaType, tmdbId: titleId } = path.data;
  const ids = typeof titleId === "number" ? { mediaType, tmdbId: titleId } : { mediaType, imdbId: titleId };
  const { lists, items, queue } = getServices();
  const list = await lists.get(userId, listId);
  if (!list) throw notFound();
  if (list.listType !== "manual") {
    throw badRequest("mediaType", "custom lists are filled from the catalog; change their filters instead");
  }
  const current = await items.getItems(listId);
  // An IMDb id names the item stored under it, or an item stored under its TMDB id that carries it.
  const target = current.find(
    (item) =>
      titleKey(item) === titleKey(ids) ||
      (ids.imdbId !== undefined && item.mediaType === mediaType && item.imdbId === ids.imdbId),
  );
  if (!target) throw notFound("item");
  await items.deleteItems(listId, [target]);
  await lists.update(userId, listId, { localItemCount: current.length - 1 });
  await queue.enqueue(newSyncRequest(userId, listId, "items_changed"));
  return json(204);
}
