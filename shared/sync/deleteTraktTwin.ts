import type { ListRecord, TraktListOwner } from "#domain/list.ts";
import { findOurTraktList } from "./ensureTraktList.ts";
import { TraktAuthRequiredError, TraktHttpError } from "./traktErrors.ts";
import type { TraktSession } from "./traktSession.ts";

type DeleteOutcome =
  | { outcome: "deleted"; traktListId: number; name: string }
  | { outcome: "already-gone" | "not-linked"; traktListId?: number };

/**
 * Deletes the Trakt list of a deleted local list. Also finds one by our marker when the id was never
 * stored (a crash right after creating it). A list Trakt no longer has counts as deleted. The caller
 * records the list's tombstone first, so the backfill can finish the job later (after a relink).
 */
export async function deleteTraktTwin(
  removed: ListRecord,
  owner: TraktListOwner,
  session: () => Promise<TraktSession>,
): Promise<DeleteOutcome> {
  let traktListId = removed.traktListId;
  try {
    const trakt = await session();
    const found =
      traktListId === undefined ? await findOurTraktList(trakt, removed.listId, owner) : undefined;
    traktListId ??= found?.ids.trakt;
    if (traktListId === undefined) return { outcome: "already-gone" };
    await trakt.deleteList(traktListId);
    return { outcome: "deleted", traktListId, name: found?.name ?? removed.traktListName ?? removed.title };
  } catch (error) {
    const known = traktListId === undefined ? {} : { traktListId };
    if (error instanceof TraktHttpError && error.status === 404) return { outcome: "already-gone", ...known };
    // Without Trakt access nothing can be deleted now; the backfill removes it after a relink (tombstone).
    if (error instanceof TraktAuthRequiredError) return { outcome: "not-linked", ...known };
    throw error;
  }
}
