import { jsonReply } from "../http.ts";
import {
  addItems,
  ITEM_TYPE_SEGMENT,
  pageItems,
  paginationHeaders,
  removeItems,
  reorderItems,
} from "../listItems.ts";
import { readableList, writableList } from "./access.ts";
import type { ApiRequest, ApiRoute } from "./apiTypes.ts";

const ITEMS = "/users/:id/lists/:list_id/items";

function getItems(request: ApiRequest) {
  const { list } = readableList(request);
  const page = pageItems(list, request.params.type, request.query);
  return jsonReply(200, page.items, paginationHeaders(page, list));
}

export const itemRoutes: ApiRoute[] = [
  { method: "GET", pattern: ITEMS, handler: getItems },
  { method: "GET", pattern: `${ITEMS}/:type`, handler: getItems, constraints: { type: ITEM_TYPE_SEGMENT } },
  {
    method: "POST",
    pattern: ITEMS,
    handler: (request) => {
      const { owner, list } = writableList(request);
      return jsonReply(201, addItems(request.runtime, owner, list, request.body));
    },
  },
  {
    method: "POST",
    pattern: `${ITEMS}/remove`,
    handler: (request) =>
      jsonReply(200, removeItems(request.runtime, writableList(request).list, request.body)),
  },
  {
    method: "POST",
    pattern: `${ITEMS}/reorder`,
    handler: (request) =>
      jsonReply(200, reorderItems(request.runtime, writableList(request).list, request.body)),
  },
];
