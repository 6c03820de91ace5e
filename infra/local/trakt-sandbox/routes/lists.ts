import { emptyReply, jsonReply, requireObject } from "../http.ts";
import { createList, deleteList, listJson, updateList } from "../lists.ts";
import { listedFor, readableList, resolveOwner, writableList, writableOwner } from "./access.ts";
import type { ApiRoute } from "./apiTypes.ts";

export const listRoutes: ApiRoute[] = [
  {
    method: "GET",
    pattern: "/users/:id/lists",
    handler: (request) => {
      const owner = resolveOwner(request);
      return jsonReply(
        200,
        listedFor(request, owner).map((list) => listJson(list, owner, request.runtime)),
      );
    },
  },
  {
    method: "POST",
    pattern: "/users/:id/lists",
    handler: (request) => {
      const owner = writableOwner(request);
      const list = createList(request.runtime, owner, requireObject(request.body));
      return jsonReply(201, listJson(list, owner, request.runtime));
    },
  },
  {
    method: "GET",
    pattern: "/users/:id/lists/:list_id",
    handler: (request) => {
      const { owner, list } = readableList(request);
      return jsonReply(200, listJson(list, owner, request.runtime));
    },
  },
  {
    method: "PUT",
    pattern: "/users/:id/lists/:list_id",
    handler: (request) => {
      const { owner, list } = writableList(request);
      updateList(request.runtime, list, requireObject(request.body));
      return jsonReply(200, listJson(list, owner, request.runtime));
    },
  },
  {
    method: "DELETE",
    pattern: "/users/:id/lists/:list_id",
    handler: (request) => {
      const { owner, list } = writableList(request);
      deleteList(owner, list);
      return emptyReply(204);
    },
  },
];
