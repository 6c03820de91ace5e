import type { RouteHandler } from "./http.ts";
import { deleteAccountRoute } from "./routes/account.ts";
import { catalogInfo, catalogVocabulary, previewList, searchCatalog } from "./routes/catalog.ts";
import { getPendingChanges } from "./routes/changes.ts";
import { health } from "./routes/health.ts";
import { addItems, getItems, removeItem } from "./routes/items.ts";
import { createList, deleteList, getList, getLists, requestSync, updateList } from "./routes/lists.ts";
import { pollDeviceLink, startDeviceLink } from "./routes/trakt.ts";
import { getTraktLink, unlinkTrakt } from "./routes/traktLink.ts";
import { verifyListsRoute } from "./routes/verification.ts";

/** The handler of every API route, by API Gateway route key (`METHOD /path`, as in infra/stacks/apiRoutes.ts). */
export const routeHandlers: Readonly<Record<string, RouteHandler>> = {
  "GET /health": health,
  "GET /catalog/genres": catalogVocabulary,
  "POST /trakt/device-code": startDeviceLink,
  "POST /trakt/device-token": pollDeviceLink,
  "DELETE /account": deleteAccountRoute,
  "POST /lists": createList,
  "POST /lists/preview": previewList,
  "GET /lists": getLists,
  "GET /lists/verification": verifyListsRoute,
  "GET /lists/{id}": getList,
  "PATCH /lists/{id}": updateList,
  "DELETE /lists/{id}": deleteList,
  "GET /lists/{id}/items": getItems,
  "POST /lists/{id}/items": addItems,
  "DELETE /lists/{id}/items/{mediaType}/{tmdbId}": removeItem,
  "POST /lists/{id}/sync": requestSync,
  "GET /lists/{id}/changes": getPendingChanges,
  "GET /trakt/link": getTraktLink,
  "DELETE /trakt/link": unlinkTrakt,
  "GET /catalog": catalogInfo,
  "GET /catalog/search": searchCatalog,
};
