import { inBatches } from "#domain/batching.ts";
import { planChanges, planReorder } from "#domain/diff.ts";
import { defaultFilters } from "#domain/filters.ts";
import { byRank, type ListItem, type NotFoundItem } from "#domain/item.ts";
import type { AccountLimitInfo, ListRecord } from "#domain/list.ts";
import { titleKey } from "#domain/media.ts";
import type { RemoteEntry } from "#domain/remoteEntry.ts";
import { itemLimitMessage, limitFrom420, readLimits } from "./accountLimits.ts";
import { traktListIdOf } from "./ensureTraktList.ts";
import { NotConvergedError } from "./failures.ts";
import type { CatalogSource, FailedOutcome, ItemStore, ListStore, SyncRequest, SyncResult } from "./ports.ts";
import { recordFailure } from "./recordFailure.ts";
import { addBody, itemsNotFound, removeBody, toNotFound } from "./traktBodies.ts";
import { TraktHttpError, WriteDeferredError } from "./traktErrors.ts";
import type { TraktSession } from "./traktSession.ts";

export interface SyncListDeps {
  lists: ListStore;
  items: ItemStore;
  catalog: CatalogSource;
  session: TraktSession;
  /** Items per Trakt write (at most 100 by our contract). */
  writeBatchSize: number;
  now?: () => Date;
}

type SyncListOutcome =
  | { status: "synced" | "limited"; result: SyncResult }
  | { status: "skipped"; reason: string }
  | { status: "deferred"; delayMs: number }
  | FailedOutcome;

/** Read → plan → write passes before we give up and let the queue retry. */
const maxPasses = 5;

/**
 * Brings one list's Trakt twin to exactly the desired items in rank order, and records the outcome
 * on the list. Every pass re-reads the whole Trakt list, so a write that Trakt applied but answered
 * with an error is seen and not repeated, and the sync ends only when a fresh read shows no
 * difference.
 */
export async function syncList(deps: SyncListDeps, request: SyncRequest): Promise<SyncListOutcome> {
  const { lists } = deps;
  const list = await lists.get(request.userId, request.listId);
  if (!list) return { status: "skipped", reason: "list no longer exists" };
  if (isCoveredByLaterSync(list, request))
    return { status: "skipped", reason: "a later sync already covered it" };
  const startedAt = (deps.now?.() ?? new Date()).toISOString();
  await lists.markSyncStarted(list.userId, list.listId, startedAt);
  // An edit that landed between the read above and the mark was coalesced into this sync or counts as covered by
  // it (its request is older than `startedAt`): sync what the list is now, not what it was before the mark.
  const current = (await lists.get(list.userId, list.listId)) ?? list;
  try {
    const result = await runSync(deps, current, request, startedAt);
    await lists.recordSyncResult(list.userId, list.listId, result);
    return { status: result.state, result };
  } catch (error) {
    // Not a failure: the list stays `syncing` (and in the repair index) until the message returns.
    if (error instanceof WriteDeferredError) return { status: "deferred", delayMs: error.delayMs };
    return recordFailure(lists, list.userId, list.listId, error, deps.now?.());
  }
}

/** A request is covered when a sync that started after it was made has finished well. */
export function isCoveredByLaterSync(list: ListRecord, request: SyncRequest): boolean {
  if (request.forceFull) return false;
  if (list.syncState !== "synced" && list.syncState !== "limited") return false;
  // Compared as instants: ISO strings of other precisions (no or more fractional digits) do not sort as times.
  return (
    list.lastSyncStartedAt !== undefined &&
    Date.parse(list.lastSyncStartedAt) > Date.parse(request.requestedAt)
  );
}

async function runSync(
  deps: SyncListDeps,
  list: ListRecord,
  request: SyncRequest,
  startedAt: string,
): Promise<SyncResult> {
  const traktListId = await traktListIdOf(deps, list);
  try {
    return await syncToTraktList(deps, list, request, startedAt, traktListId);
  } catch (error) {
    if (!isOurListGone(error, traktListId)) throw error;
    return recreateAndSync(deps, list, request, startedAt, traktListId);
  }
}

/**
 * Whichever call met it (rename, read, add, remove, reorder): our Trakt list no longer exists on Trakt
 * (deleted there, or a stale imported id). Create it again, once, record that, and start over.
 */
async function recreateAndSync(
  deps: SyncListDeps,
  list: ListRecord,
  request: SyncRequest,
  startedAt: string,
  goneId: number,
): Promise<SyncResult> {
  await deps.lists.forgetTraktList(list.userId, list.listId, goneId);
  const { traktListId: _gone, ...withoutTraktList } = list;
  const recreatedId = await traktListIdOf(deps, withoutTraktList, { recreated: true });
  return syncToTraktList(deps, withoutTraktList, request, startedAt, recreatedId);
}

/** A 404 from Trakt on a call on `traktListId` itself or its items. */
function isOurListGone(error: unknown, traktListId: number): boolean {
  if (!(error instanceof TraktHttpError) || error.status !== 404) return false;
  const prefix = `/users/me/lists/${traktListId}`;
  return error.path === prefix || error.path.startsWith(`${prefix}/`) || error.path.startsWith(`${prefix}?`);
}

/** What a sync learns as it goes: what it wants on Trakt, what Trakt cannot match, the account's limit. */
interface SyncProgress {
  /** Every item of the list, in rank order. */
  desired: ListItem[];
  /** What goes on Trakt: the desired items, or the top-ranked ones that fit the account's limit. */
  target: ListItem[];
  /** Titles Trakt could not match, by title key: not sent again. */
  notFound: Map<string, NotFoundItem>;
  limit?: AccountLimitInfo;
  added: number;
  removed: number;
  catalog?: { version: string; selectionHash: string };
}

/** Read → plan → write passes until a fresh read of the Trakt list shows no difference. */
async function syncToTraktList(
  deps: SyncListDeps,
  list: ListRecord,
  request: SyncRequest,
  startedAt: string,
  traktListId: number,
): Promise<SyncResult> {
  await applyListSettings(deps, list, traktListId);
  const progress = await startProgress(deps, list, request);
  for (let pass = 1; pass <= maxPasses; pass++) {
    const remote = await deps.session.getAllListItems(traktListId);
    const plan = planChanges(progress.target, remote, new Set(progress.notFound.keys()));
    if (plan.toAdd.length > 0 || plan.toRemove.length > 0) {
      await removeEntries(deps, traktListId, plan.toRemove, progress);
      await addItems(deps, traktListId, plan.toAdd, remote.length - plan.toRemove.length, progress);
      continue;
    }
    const order = planReorder(progress.target, remote);
    if (order === null) return finish(deps, list, progress, startedAt, remote.length);
    await deps.session.reorderItems(traktListId, order);
  }
  throw new NotConvergedError(maxPasses);
}

/** The desired items, the titles already known as not found (unless forced), and a limited list's limit. */
async function startProgress(
  deps: SyncListDeps,
  list: ListRecord,
  request: SyncRequest,
): Promise<SyncProgress> {
  const { items: desired, catalog } = await desiredItems(deps, list);
  const notFound = request.forceFull ? new Map<string, NotFoundItem>() : knownNotFound(list, desired);
  const progress: SyncProgress = { desired, target: desired, notFound, added: 0, removed: 0 };
  if (catalog) progress.catalog = catalog;
  if (list.limit) {
    progress.limit = await readLimits(deps.session, desired.length);
    progress.target = trimToCapacity(desired, notFound, progress.limit.itemCount);
  }
  return progress;
}

async function removeEntries(
  deps: SyncListDeps,
  traktListId: number,
  entries: readonly RemoteEntry[],
  progress: SyncProgress,
): Promise<void> {
  for (const batch of inBatches(entries, deps.writeBatchSize)) {
    const response = await deps.session.removeItems(traktListId, removeBody(batch));
    progress.removed += sumCounts(response.deleted);
  }
}

/** Adds in batches, noting what Trakt could not match; Trakt's item limit (420) trims the target instead. */
async function addItems(
  deps: SyncListDeps,
  traktListId: number,
  items: readonly ListItem[],
  onTraktBefore: number,
  progress: SyncProgress,
): Promise<void> {
  let onTrakt = onTraktBefore;
  for (const batch of inBatches(items, deps.writeBatchSize)) {
    try {
      const response = await deps.session.addItems(traktListId, addBody(batch));
      const count = sumCounts(response.added);
      progress.added += count;
      onTrakt += count + sumCounts(response.existing);
      for (const item of itemsNotFound(batch, response.not_found))
        progress.notFound.set(titleKey(item), item);
    } catch (error) {
      if (!(error instanceof TraktHttpError && error.status === 420)) throw error;
      await trimToItemLimit(deps, error, onTrakt, progress);
      return;
    }
  }
}

/**
 * Trakt's item limit: keep the top-ranked items that fit, and say so on the list. When the per-list limit
 * does not explain the refusal, an account-wide limit does: keep what is there.
 */
async function trimToItemLimit(
  deps: SyncListDeps,
  error: TraktHttpError,
  onTrakt: number,
  progress: SyncProgress,
): Promise<void> {
  const { desired, notFound } = progress;
  const limit = await limitFrom420(deps.session, error, "itemCount", desired.length);
  const perList = limit.itemCount;
  const wantedOnTrakt = progress.target.filter((item) => !notFound.has(titleKey(item))).length;
  const capacity = perList !== undefined && wantedOnTrakt > perList ? perList : onTrakt;
  progress.limit = limit;
  progress.target = trimToCapacity(desired, notFound, capacity);
}

/** Trakt holds the target: record the not-found flags on the items and make the result. */
async function finish(
  deps: SyncListDeps,
  list: ListRecord,
  progress: SyncProgress,
  startedAt: string,
  onTrakt: number,
): Promise<SyncResult> {
  const { desired, notFound, limit, catalog } = progress;
  await deps.items.recordNotFound(list.listId, desired, new Set(notFound.keys()));
  return {
    state: limit ? "limited" : "synced",
    startedAt,
    finishedAt: (deps.now?.() ?? new Date()).toISOString(),
    localItemCount: desired.length,
    traktItemCount: onTrakt,
    added: progress.added,
    removed: progress.removed,
    notFound: desired.flatMap((item) => notFound.get(titleKey(item)) ?? []),
    ...(catalog ? { catalog } : {}),
    ...(limit ? { limit: { ...limit, pushed: onTrakt }, notice: limitNotice(limit, onTrakt) } : {}),
  };
}

function limitNotice(limit: AccountLimitInfo, pushed: number) {
  return { code: "trakt_item_limit", message: itemLimitMessage(limit, pushed), at: new Date().toISOString() };
}

/**
 * A rename or privacy change made here goes to Trakt. A Trakt list this sync has just stored is
 * compared as stored: one found by its marker (made by a worker that died before storing its id) still
 * carries the name and privacy the list had then.
 */
async function applyListSettings(deps: SyncListDeps, list: ListRecord, traktListId: number): Promise<void> {
  const stored = list.traktListId === undefined ? await deps.lists.get(list.userId, list.listId) : list;
  if (!stored) return;
  if (stored.traktListName === list.title && stored.traktListPrivacy === list.privacy) return;
  await deps.session.updateList(traktListId, { name: list.title, privacy: list.privacy });
  await deps.lists.recordTraktListSettings(list.userId, list.listId, list.title, list.privacy);
}

/**
 * Titles Trakt could not match at an earlier sync, not sent again: flagged on the items, plus those
 * on the list record itself (records written before the items carried the flag).
 */
function knownNotFound(list: ListRecord, desired: readonly ListItem[]): Map<string, NotFoundItem> {
  const onRecord = new Set(list.notFound.map(titleKey));
  return new Map(
    desired
      .filter((item) => item.notFoundOnTrakt || onRecord.has(titleKey(item)))
      .map((item) => [titleKey(item), toNotFound(item)]),
  );
}

/** Manual lists: their items. Custom lists: the current catalog's selection, stored as the list's items. */
async function desiredItems(
  deps: SyncListDeps,
  list: ListRecord,
): Promise<{ items: ListItem[]; catalog?: { version: string; selectionHash: string } }> {
  const stored = await deps.items.getItems(list.listId);
  if (list.listType === "manual") return { items: stored.sort(byRank) };
  const selection = await deps.catalog.selectForList(list.filters ?? defaultFilters, list.itemLimit);
  // A title that stays selected keeps what the last sync learnt about it.
  const flagged = new Set(stored.filter((item) => item.notFoundOnTrakt).map(titleKey));
  const desired = selection.items.map((item) =>
    flagged.has(titleKey(item)) ? { ...item, notFoundOnTrakt: true as const } : item,
  );
  await deps.items.replaceItems(list.listId, desired, stored);
  return {
    items: desired,
    catalog: { version: selection.catalogVersion, selectionHash: selection.selectionHash },
  };
}

/** The top-ranked desired items that fit in `capacity` Trakt slots (not-found items take no slot). */
function trimToCapacity(
  desired: readonly ListItem[],
  notFound: ReadonlyMap<string, NotFoundItem>,
  capacity: number | undefined,
): ListItem[] {
  if (capacity === undefined) return [...desired];
  return [...desired]
    .sort(byRank)
    .filter((item) => !notFound.has(titleKey(item)))
    .slice(0, Math.max(0, capacity));
}

function sumCounts(counts: Record<string, number | undefined> | undefined): number {
  return Object.values(counts ?? {}).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}
