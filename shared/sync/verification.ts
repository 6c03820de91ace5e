import type { ListRecord, ListType, SyncState } from "#domain/list.ts";
import { markerIn, notFoundCountOf, type TraktListMarker, type TraktListOwner } from "#domain/list.ts";
import type { TraktList } from "./traktSession.ts";

interface ListVerification {
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

interface OrphanTraktList {
  traktListId: number;
  name: string;
  listId: string;
}

/** A Trakt list with a marker-like description that this install must leave alone, and why. */
interface NotOursTraktList extends OrphanTraktList {
  reason: string;
}

export interface VerificationReport {
  lists: ListVerification[];
  /** Trakt lists of lists this install deleted (it holds their tombstones): the backfill deletes them. */
  orphans: OrphanTraktList[];
  /** Trakt lists carrying a marker without a list here that this install deleted: never deleted. */
  notOurs: NotOursTraktList[];
}

/** Whose lists a verification judges: the user of this install, and the lists this install deleted for them. */
interface Ownership {
  owner: TraktListOwner;
  /** Ids of the user's lists this install deleted (their tombstones). */
  deletedListIds: ReadonlySet<string>;
}

/** The user's ownership as the list store knows it: this install's id and the user's tombstones. */
export async function ownershipOf(
  lists: { installId(): Promise<string>; tombstones(userId: string): Promise<ReadonlyMap<string, unknown>> },
  userId: string,
): Promise<Ownership> {
  const [installId, tombstones] = await Promise.all([lists.installId(), lists.tombstones(userId)]);
  return { owner: { installId, userId }, deletedListIds: new Set(tombstones.keys()) };
}

type MarkedListVerdict = { kind: "local" } | { kind: "orphan" } | { kind: "not-ours"; reason: string };

/**
 * Whether a Trakt list carrying `marker` belongs to a list of ours, is an orphan we may delete, or is
 * not ours. Deleting needs proof: the marker names this install and this user (or, written by an older
 * version, neither) and this install holds a tombstone of the list. A marker alone never suffices: a
 * restart with an empty database, another install or a person typing it can leave one.
 */
export function judgeMarkedList(
  marker: TraktListMarker,
  localListIds: ReadonlySet<string>,
  ownership: Ownership,
): MarkedListVerdict {
  if (localListIds.has(marker.listId)) return { kind: "local" };
  if (marker.installId !== undefined && marker.installId !== ownership.owner.installId) {
    return {
      kind: "not-ours",
      reason: "made by another install of trakt-list-sync (or before its database was reset)",
    };
  }
  if (marker.userId !== undefined && marker.userId !== ownership.owner.userId) {
    return { kind: "not-ours", reason: "made for another user" };
  }
  if (!ownership.deletedListIds.has(marker.listId)) {
    return { kind: "not-ours", reason: "no record that this install deleted its list" };
  }
  return { kind: "orphan" };
}

/**
 * Compares each local list with Trakt's own count of its Trakt list. `traktLists` is the user's
 * lists as `GET /users/me/lists` returns them (one call gives every count), or undefined when
 * Trakt could not be asked (then nothing is judged drifted for that reason alone).
 */
export function verifyLists(
  lists: readonly ListRecord[],
  traktLists: readonly TraktList[] | undefined,
  ownership: Ownership,
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
    } else if (twin && !sameSettings(list, twin)) {
      problem =
        twin.privacy === list.privacy
          ? `Trakt names it "${twin.name}", expected "${list.title}"`
          : `Trakt shows it as ${twin.privacy}, expected ${list.privacy}`;
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
  const orphans: OrphanTraktList[] = [];
  const notOurs: NotOursTraktList[] = [];
  for (const traktList of traktLists ?? []) {
    const marker = markerIn(traktList.description);
    if (!marker) continue;
    const verdict = judgeMarkedList(marker, localIds, ownership);
    const found = { traktListId: traktList.ids.trakt, name: traktList.name, listId: marker.listId };
    if (verdict.kind === "orphan") orphans.push(found);
    else if (verdict.kind === "not-ours") notOurs.push({ ...found, reason: verdict.reason });
  }
  return { lists: report, orphans, notOurs };
}

/** Trakt shows the list's name and privacy (names compared without surrounding spaces, which Trakt may trim). */
export function sameSettings(list: Pick<ListRecord, "title" | "privacy">, traktList: TraktList): boolean {
  return traktList.name.trim() === list.title.trim() && traktList.privacy === list.privacy;
}

export function expectedOnTrakt(list: ListRecord): number {
  if (list.syncState === "limited" && list.limit) return list.limit.pushed;
  return Math.max(0, list.localItemCount - notFoundCountOf(list));
}
