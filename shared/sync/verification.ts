import type { ListRecord, ListType, SyncState } from "../domain/list.ts";
import { listIdFromDescription, notFoundCountOf } from "../domain/list.ts";
import type { TraktList } from "../trakt/types.ts";

export interface ListVerification {
  id: string;
  title: string;
  listType: ListType;
  traktListId: number | null;
  localItemCount: number;
  /** Items we expect on Trakt: local items minus those Trakt cannot match (or the limit's share). */
  expectedTraktItemCount: number;
  /** What Trakt says now; null when the Trakt list is missing or Trakt could not be asked. */
  traktItemCount: number | null;
  state: SyncState;
  lastSyncedAt: string | null;
  drifted: boolean;
  problem: string | null;
}

export interface OrphanTraktList {
  traktListId: number;
  name: string;
  listId: string;
}

export interface VerificationReport {
  lists: ListVerification[];
  /** Trakt lists carrying our marker whose local list no longer exists. */
  orphans: OrphanTraktList[];
}

/**
 * Compares each local list with Trakt's own count of its Trakt list. `traktLists` is the user's
 * lists as `GET /users/me/lists` returns them (one call gives every count), or undefined when
 * Trakt could not be asked (then nothing is judged drifted for that reason alone).
 */
export function verifyLists(
  lists: readonly ListRecord[],
  traktLists: readonly TraktList[] | undefined,
): VerificationReport {
  const byId = new Map((traktLists ?? []).map((list) => [list.ids.trakt, list]));
  const report = lists.map((list): ListVerification => {
    const expected = expectedOnTrakt(list);
    const twin = list.traktListId !== undefined ? byId.get(list.traktListId) : undefined;
    const traktItemCount = twin ? twin.item_count : null;
    let problem: string | null = null;
    if (list.traktListId === undefined) problem = "no Trakt list yet";
    else if (traktLists && !twin) problem = "the Trakt list is missing on Trakt";
    else if (traktItemCount !== null && traktItemCount !== expected) {
      problem = `Trakt has ${traktItemCount} items, expected ${expected}`;
    }
    return {
      id: list.listId,
      title: list.title,
      listType: list.listType,
      traktListId: list.traktListId ?? null,
      localItemCount: list.localItemCount,
      expectedTraktItemCount: expected,
      traktItemCount,
      state: list.syncState,
      lastSyncedAt: list.lastSyncedAt ?? null,
      drifted: problem !== null,
      problem,
    };
  });
  const localIds = new Set(lists.map((list) => list.listId));
  const orphans = (traktLists ?? []).flatMap((traktList): OrphanTraktList[] => {
    const listId = listIdFromDescription(traktList.description);
    return listId !== undefined && !localIds.has(listId)
      ? [{ traktListId: traktList.ids.trakt, name: traktList.name, listId }]
      : [];
  });
  return { lists: report, orphans };
}

export function expectedOnTrakt(list: ListRecord): number {
  if (list.syncState === "limited" && list.limit) return list.limit.pushed;
  return Math.max(0, list.localItemCount - notFoundCountOf(list));
}
