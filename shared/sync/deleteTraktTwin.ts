import type { ListRecord } from "../domain/list.ts";
import { TraktAuthRequiredError, TraktHttpError } from "../trakt/errors.ts";
import type { TraktUserSession } from "../trakt/TraktUserSession.ts";
import { findOurTraktList } from "./ensureTraktList.ts";

export type DeleteOutcome = "deleted" | "already-gone" | "not-linked";

/**
 * Deletes the Trakt list of a deleted local list. Also finds one by our marker when the id was never
 * stored (a crash right after creating it). A list Trakt no longer has counts as deleted.
 */
export async function deleteTraktTwin(
  removed: ListRecord,
  session: () => Promise<TraktUserSession>,
): Promise<DeleteOutcome> {
  let trakt: TraktUserSession;
  try {
    trakt = await session();
    const traktListId = removed.traktListId ?? (await findOurTraktList(trakt, removed.listId))?.ids.trakt;
    if (traktListId === undefined) return "already-gone";
    await trakt.deleteList(traktListId);
    return "deleted";
  } catch (error) {
    if (error instanceof TraktHttpError && error.status === 404) return "already-gone";
    // Without Trakt access nothing can be deleted now; the backfill removes orphaned lists after a relink.
    if (error instanceof TraktAuthRequiredError) return "not-linked";
    throw error;
  }
}
