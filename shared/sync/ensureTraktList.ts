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
import type { ListStore } from "./ports.ts";
import { isTransientTraktError, TraktHttpError } from "./traktErrors.ts";
import type { TraktList, TraktSession } from "./traktSession.ts";

export interface EnsureTraktListDeps {
  lists: ListStore;
  session: TraktSession;
  /** How long one worker holds the right to create the list's Trakt list. */
  creationLeaseMs?: number;
}

const createTries = 3;

/**
 * Makes sure the list has exactly one Trakt list and returns its id. Safe against crashes between
 * the Trakt call and our write, duplicated deliveries and concurrent workers: one worker at a time
 * holds a creation lease, it looks for a Trakt list carrying our marker before creating one, and
 * the id is stored with a conditional write.
 */
export async function ensureTraktList(
  deps: EnsureTraktListDeps,
  list: ListRecord,
  options: { recreated?: boolean } = {},
): Promise<number> {
  if (list.traktListId !== undefined) return list.traktListId;
  const { lists, session } = deps;
  const claim = await lists.claimTraktListCreation(list.userId, list.listId, deps.creationLeaseMs ?? 60_000);
  if (claim === "has-list" || claim === "gone") {
    const current = await lists.get(list.userId, list.listId);
    if (current?.traktListId !== undefined) return current.traktListId;
    throw new ListBusyError(list.listId);
  }
  if (claim === "busy") throw new ListBusyError(list.listId);

  let traktList: TraktList;
  try {
    const owner = { installId: await lists.installId(), userId: list.userId };
    traktList =
      (await findOurTraktList(session, list.listId, owner)) ?? (await createTraktList(session, list, owner));
  } catch (error) {
    await lists.releaseTraktListCreation(list.userId, list.listId);
    throw error;
  }
  const stored = await lists.storeTraktList(
    list.userId,
    list.listId,
    {
      id: traktList.ids.trakt,
      slug: traktList.ids.slug,
      name: traktList.name,
      privacy: (privacies as readonly string[]).includes(traktList.privacy)
        ? (traktList.privacy as Privacy)
        : list.privacy,
    },
    { recreated: options.recreated ?? false },
  );
  if (stored) return traktList.ids.trakt;
  const current = await lists.get(list.userId, list.listId);
  if (!current) {
    // The list was deleted while we created its Trakt list: do not leave that one behind.
    await session.deleteList(traktList.ids.trakt);
    throw new ListGoneError(list.listId);
  }
  if (current.traktListId !== undefined && current.traktListId !== traktList.ids.trakt) {
    // Another worker stored a different Trakt list after our lease ran out: keep theirs, drop ours.
    await session.deleteList(traktList.ids.trakt).catch(() => undefined);
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
