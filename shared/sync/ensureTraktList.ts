import {
  type ListRecord,
  markerIn,
  mayBelongTo,
  type Privacy,
  privacies,
  type TraktListOwner,
  traktListDescription,
} from "#domain/list.ts";
import { limitFrom420 } from "./accountLimits.ts";
import { ListBusyError, ListConflictError, ListCountLimitError, ListGoneError } from "./failures.ts";
import type { FailedOutcome, ListStore, TraktListRef } from "./ports.ts";
import { recordFailure } from "./recordFailure.ts";
import { isTransientTraktError, TraktHttpError } from "./traktErrors.ts";
import type { TraktList, TraktSession } from "./traktSession.ts";

export interface EnsureTraktListDeps {
  lists: ListStore;
  session: TraktSession;
  /** How long one worker holds the right to create the list's Trakt list. */
  creationLeaseMs?: number;
  now?: () => Date;
}

/** A list's Trakt list is there (`traktListId`), or the failure that stopped it, recorded on the list. */
type TraktListOutcome = { status: "ready"; traktListId: number } | FailedOutcome;

const createTries = 3;

/**
 * Makes sure the list has exactly one Trakt list (see `traktListIdOf`); what stopped it is recorded on the
 * list as a sync's failure is, and the outcome says whether to retry.
 */
export async function ensureTraktList(
  deps: EnsureTraktListDeps,
  list: ListRecord,
): Promise<TraktListOutcome> {
  try {
    return { status: "ready", traktListId: await traktListIdOf(deps, list) };
  } catch (error) {
    return recordFailure(deps.lists, list.userId, list.listId, error, deps.now?.());
  }
}

/**
 * The list's Trakt list id, created when it has none. Safe against crashes between the Trakt call and
 * our write, duplicated deliveries and concurrent workers: one worker at a time holds a creation lease,
 * it looks for a Trakt list carrying our marker before creating one (unless its lease is the first ever
 * taken: then no worker can have created one), and the id is stored with a conditional write. Throws what
 * stopped it.
 */
export async function traktListIdOf(
  deps: EnsureTraktListDeps,
  list: ListRecord,
  options: { recreated?: boolean } = {},
): Promise<number> {
  if (list.traktListId !== undefined) return list.traktListId;
  const claim = await claimCreation(deps, list);
  if (typeof claim === "number") return claim;
  const traktList = await findOrCreateUnderLease(deps, list, claim);
  const stored = await deps.lists.storeTraktList(list.userId, list.listId, refOf(traktList, list), {
    recreated: options.recreated ?? false,
  });
  return stored ? traktList.ids.trakt : settleLostStore(deps, list, traktList);
}

/**
 * Takes the creation lease (whether it is the first one ever taken), or finds the id another worker stored
 * meanwhile; throws ListBusyError while another worker holds the lease.
 */
async function claimCreation(
  deps: EnsureTraktListDeps,
  list: ListRecord,
): Promise<number | { firstClaim: boolean }> {
  const claim = await deps.lists.claimTraktListCreation(
    list.userId,
    list.listId,
    deps.creationLeaseMs ?? 60_000,
  );
  if (claim === "first-claim" || claim === "claimed") return { firstClaim: claim === "first-claim" };
  if (claim === "has-list" || claim === "gone") {
    const current = await deps.lists.get(list.userId, list.listId);
    if (current?.traktListId !== undefined) return current.traktListId;
  }
  throw new ListBusyError(list.listId);
}

/**
 * Our marked Trakt list, else a new one; the lease is given up when that fails, so a retry need not wait. On the
 * first claim ever no worker can have created one, so it creates without looking (one Trakt read, a round trip,
 * less before a new list's first write); a 409 still looks (see `adoptExisting`).
 */
async function findOrCreateUnderLease(
  deps: EnsureTraktListDeps,
  list: ListRecord,
  { firstClaim }: { firstClaim: boolean },
): Promise<TraktList> {
  const { lists, session } = deps;
  try {
    const owner = { installId: await lists.installId(), userId: list.userId };
    const existing = firstClaim ? undefined : await findOurTraktList(session, list.listId, owner);
    return existing ?? (await createTraktList(session, list, owner));
  } catch (error) {
    await lists.releaseTraktListCreation(list.userId, list.listId);
    throw error;
  }
}

function refOf(traktList: TraktList, list: ListRecord): TraktListRef {
  return {
    id: traktList.ids.trakt,
    slug: traktList.ids.slug,
    name: traktList.name,
    privacy: (privacies as readonly string[]).includes(traktList.privacy)
      ? (traktList.privacy as Privacy)
      : list.privacy,
  };
}

/** Our id was not stored: the list is gone (drop our Trakt list), another worker's id won (keep it), or busy. */
async function settleLostStore(
  deps: EnsureTraktListDeps,
  list: ListRecord,
  ours: TraktList,
): Promise<number> {
  const current = await deps.lists.get(list.userId, list.listId);
  if (!current) {
    // The list was deleted while we created its Trakt list: do not leave that one behind.
    await deps.session.deleteList(ours.ids.trakt);
    throw new ListGoneError(list.listId);
  }
  if (current.traktListId !== undefined && current.traktListId !== ours.ids.trakt) {
    // Another worker stored a different Trakt list after our lease ran out: keep theirs, drop ours.
    await deps.session.deleteList(ours.ids.trakt).catch(() => undefined);
    return current.traktListId;
  }
  throw new ListBusyError(list.listId);
}

/** The Trakt list whose marker names `listId` and names no other install or user than `owner`. */
export async function findOurTraktList(
  session: TraktSession,
  listId: string,
  owner: TraktListOwner,
): Promise<TraktList | undefined> {
  const traktLists = await session.getLists();
  return traktLists.find((candidate) => {
    const marker = markerIn(candidate.description);
    return marker?.listId === listId && mayBelongTo(marker, owner);
  });
}

/**
 * Trakt's 409: the list exists already (an earlier try created it). Ours is the one carrying our marker: adopt it.
 * Never created again blindly; without a marked list the queue retries, and that retry looks first too.
 */
async function adoptExisting(
  session: TraktSession,
  listId: string,
  owner: TraktListOwner,
): Promise<TraktList> {
  const existing = await findOurTraktList(session, listId, owner);
  if (existing) return existing;
  throw new ListConflictError();
}

async function createTraktList(
  session: TraktSession,
  list: ListRecord,
  owner: TraktListOwner,
): Promise<TraktList> {
  const description = traktListDescription(list.listId, owner);
  const wanted = { name: list.title, description, privacy: list.privacy };
  for (let attempt = 1; ; attempt++) {
    try {
      return await session.createList(wanted);
    } catch (error) {
      if (error instanceof TraktHttpError && error.status === 420) {
        const limit = await limitFrom420(session, error, "listCount", list.localItemCount);
        throw new ListCountLimitError(limit.listCount, limit);
      }
      if (error instanceof TraktHttpError && error.status === 409)
        return adoptExisting(session, list.listId, owner);
      if (!isTransientTraktError(error) || attempt >= createTries) throw error;
      // Trakt may have created it before failing: look before creating again.
      const existing = await findOurTraktList(session, list.listId, owner);
      if (existing) return existing;
    }
  }
}
