import { deleteAccount } from "#account/deleteAccount.ts";
import { getServices } from "#runtime/services.ts";
import { callerId, json, type RouteHandler, validate } from "../http.ts";
import { deleteAccountQuerySchema } from "../schemas.ts";

/** Deletes the user's lists, items and Trakt tokens; their Trakt lists too unless `?keepTraktLists=true`. */
export const deleteAccountRoute: RouteHandler = async (event) => {
  const userId = callerId(event);
  const query = validate(deleteAccountQuerySchema, event.queryStringParameters ?? {});
  const outcome = await deleteAccount(getServices(), userId, {
    keepTraktLists: query.keepTraktLists === "true",
  });
  return json(202, { deleted: true, ...outcome });
};
