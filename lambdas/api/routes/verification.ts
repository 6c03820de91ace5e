import { logger } from "#observability/observability.ts";
import { getServices } from "#runtime/services.ts";
import { TraktAuthRequiredError } from "#sync/traktErrors.ts";
import type { TraktList } from "#sync/traktSession.ts";
import { ownershipOf, verifyLists } from "#sync/verification.ts";
import { callerId, json, type RouteHandler } from "../http.ts";

/** The caller's lists next to Trakt's own counts: which drifted, Trakt lists of ours left orphaned, and marked lists that are not ours. */
export const verifyListsRoute: RouteHandler = async (event) => {
  const userId = callerId(event);
  const services = getServices();
  const lists = await services.lists.listByUser(userId);
  let traktLists: TraktList[] | undefined;
  let traktError: string | null = null;
  try {
    traktLists = await (await services.sessionFor(userId)).getLists();
  } catch (error) {
    traktError =
      error instanceof TraktAuthRequiredError
        ? "Trakt is not linked; link it to verify"
        : "Trakt could not be reached";
    logger.warn("Verification could not read Trakt", { error });
  }
  const ownership = await ownershipOf(services.lists, userId);
  return json(200, {
    ...verifyLists(lists, traktLists, ownership),
    traktError,
    checkedAt: new Date().toISOString(),
  });
};
