import { envNames } from "#config/env.ts";
import { userLimits } from "#config/limits.ts";
import { createListWithinQuota } from "#lists/createList.ts";
import { completeFilters } from "#lists/newList.ts";
import { getServices } from "#runtime/services.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import { callersList, listPath } from "../callersList.ts";
import {
  badRequest,
  callerId,
  json,
  notFound,
  parseBody,
  quotaExceeded,
  type RouteHandler,
  rateLimited,
  validate,
} from "../http.ts";
import { listView } from "../listView.ts";
import { createListSchema, syncQuerySchema, updateListSchema } from "../schemas.ts";

export const createList: RouteHandler = async (event) => {
  const userId = callerId(event);
  const input = parseBody(event, createListSchema);
  const { maxListsPerUser } = userLimits();
  const created = await createListWithinQuota(getServices(), { ...input, userId }, maxListsPerUser);
  if (created.outcome === "list_quota_reached") {
    throw quotaExceeded(
      envNames.maxListsPerUser,
      maxListsPerUser,
      `You have reached the limit of ${maxListsPerUser} lists (${envNames.maxListsPerUser}); delete a list first`,
    );
  }
  return json(201, listView(created.list));
};

export const getLists: RouteHandler = async (event) => {
  const lists = await getServices().lists.listByUser(callerId(event));
  return json(200, { lists: lists.map(listView) });
};

export const getList: RouteHandler = async (event) => {
  return json(200, listView(await callersList(listPath(event))));
};

export const updateList: RouteHandler = async (event) => {
  const path = listPath(event);
  const { userId, listId } = path;
  const input = parseBody(event, updateListSchema);
  const { lists, queue } = getServices();
  const current = await callersList(path);
  if (input.filters && current.listType !== "custom")
    throw badRequest("filters", "only custom lists take filters");
  const { filters, ...settings } = input;
  const request = newSyncRequest(userId, listId, "list_changed");
  // The change queues a sync: the list says so until that sync records its outcome.
  const updated = await lists.update(userId, listId, {
    ...settings,
    ...(filters ? { filters: completeFilters(filters) } : {}),
    syncState: "pending",
    syncRequestedAt: request.requestedAt,
  });
  if (!updated) throw notFound();
  await queue.enqueue(request);
  return json(200, listView(updated));
};

export const deleteList: RouteHandler = async (event) => {
  const { userId, listId } = listPath(event);
  const removed = await getServices().lists.delete(userId, listId);
  if (!removed) throw notFound();
  return json(204);
};

export const requestSync: RouteHandler = async (event) => {
  const { userId, listId } = listPath(event);
  const query = validate(syncQuerySchema, event.queryStringParameters ?? {});
  const { lists, queue } = getServices();
  const request = newSyncRequest(userId, listId, "manual", { forceFull: query.force_full === "true" });
  const recorded = await lists.requestSync(userId, listId, request, userLimits());
  switch (recorded.outcome) {
    case "gone":
      throw notFound();
    case "coalesced":
      // A sync is already queued: this request joins it.
      return json(202, {
        queued: true,
        coalesced: true,
        forceFull: recorded.forceFull,
        requestedAt: recorded.requestedAt,
      });
    case "force_full_cooling":
      throw rateLimited(
        recorded.retryAfterSeconds,
        "A full sync of this list ran less than 10 minutes ago; try again later or sync without force_full",
        undefined,
        "force_full",
      );
    case "queued":
      await queue.enqueue(request);
      return json(202, {
        queued: true,
        coalesced: false,
        forceFull: request.forceFull,
        requestedAt: request.requestedAt,
      });
  }
};
