import { z } from "zod";
import { userLimits } from "#config/limits.ts";
import { type TitleIds, titleKey } from "#domain/media.ts";
import { picksToItems } from "#lists/newList.ts";
import { getServices } from "#runtime/services.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import { callersList, listPath } from "../callersList.ts";
import {
  type ApiEvent,
  badRequest,
  json,
  notFound,
  parseBody,
  pathParam,
  quotaExceeded,
  type RouteHandler,
} from "../http.ts";
import { itemsView } from "../listView.ts";
import { addItemsSchema, imdbIdSchema, mediaTypeSchema, tmdbIdSchema } from "../schemas.ts";

export const getItems: RouteHandler = async (event) => {
  const list = await callersList(listPath(event));
  return json(200, { items: itemsView(list, await getServices().items.getItems(list.listId)) });
};

export const addItems: RouteHandler = async (event) => {
  const path = listPath(event);
  const { userId, listId } = path;
  const input = parseBody(event, addItemsSchema);
  const { lists, items, catalog, queue } = getServices();
  const list = await callersList(path);
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
};

/**
 * `DELETE /lists/{id}/items/{mediaType}/{tmdbId}` and `…/{mediaType}/{imdbId}` share one route (API
 * Gateway cannot tell two path parameters of one position apart): an IMDb id looks like `tt0111161`,
 * a TMDB id is a number.
 */
const itemPathSchema = z.object({
  mediaType: mediaTypeSchema,
  tmdbId: z.union([imdbIdSchema, z.coerce.number().pipe(tmdbIdSchema)]),
});

/** The item the path names, by TMDB or IMDb id. */
function itemIds(event: ApiEvent): TitleIds {
  const path = itemPathSchema.safeParse({
    mediaType: pathParam(event, "mediaType"),
    tmdbId: pathParam(event, "tmdbId"),
  });
  // Bounded like the ids in bodies; a path naming an impossible item names no item.
  if (!path.success) throw notFound("item");
  const { mediaType, tmdbId: titleId } = path.data;
  return typeof titleId === "number" ? { mediaType, tmdbId: titleId } : { mediaType, imdbId: titleId };
}

export const removeItem: RouteHandler = async (event) => {
  const path = listPath(event);
  const { userId, listId } = path;
  const ids = itemIds(event);
  const { mediaType } = ids;
  const { lists, items, queue } = getServices();
  const list = await callersList(path);
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
};
