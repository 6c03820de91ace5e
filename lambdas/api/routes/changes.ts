import type { CatalogTitle } from "#domain/catalog.ts";
import { planChanges, planReorder } from "#domain/diff.ts";
import { defaultFilters } from "#domain/filters.ts";
import { byRank, type ListItem } from "#domain/item.ts";
import type { ListRecord } from "#domain/list.ts";
import { type TitleIds, titleKey } from "#domain/media.ts";
import type { RemoteEntry } from "#domain/remoteEntry.ts";
import { getServices, type Services } from "#runtime/services.ts";
import { TraktAuthRequiredError, TraktHttpError } from "#sync/traktErrors.ts";
import { callersList, listPath } from "../callersList.ts";
import { ApiError, json, type RouteHandler } from "../http.ts";

/**
 * `GET /lists/{id}/changes`: what the next sync would do on Trakt (add, remove, reorder), from the
 * items we want and a fresh read of the Trakt list. A dry run: it writes nothing, here or on Trakt.
 */
export const getPendingChanges: RouteHandler = async (event) => {
  const services = getServices();
  const list = await callersList(listPath(event));
  const desired = await wantedItems(services, list);
  const remote = await readTrakt(services, list);
  const knownNotFound = new Set(list.notFound.map(titleKey));
  const plan = planChanges(desired, remote, knownNotFound);
  const kept = remote.filter((entry) => !plan.toRemove.includes(entry));
  const reorder = reorderNeeded(desired, kept, plan.toAdd);
  const titles = await services.catalog.lookup(plan.toRemove.flatMap(entryTitleIds));
  return json(200, {
    toAdd: plan.toAdd.map(addedView),
    toRemove: plan.toRemove.map((entry) => removedView(entry, titles)),
    reorder,
    traktItemCount: remote.length,
    checkedAt: new Date().toISOString(),
  });
};

/** A Trakt entry's ids as a title of ours (none for entries that are neither movies nor shows). */
function entryTitleIds(entry: RemoteEntry): TitleIds[] {
  if (entry.type !== "movie" && entry.type !== "show") return [];
  if (entry.ids.tmdb !== undefined) return [{ mediaType: entry.type, tmdbId: entry.ids.tmdb }];
  return entry.ids.imdb ? [{ mediaType: entry.type, imdbId: entry.ids.imdb }] : [];
}

/** An item the next sync adds, as `toAdd` shows it. */
function addedView(item: ListItem) {
  return {
    rank: item.rank,
    mediaType: item.mediaType,
    tmdbId: item.tmdbId ?? null,
    imdbId: item.imdbId ?? null,
    title: item.title,
    year: item.year ?? null,
  };
}

/** A Trakt entry the next sync removes, as `toRemove` shows it, named by the catalog where it knows the title. */
function removedView(entry: RemoteEntry, titles: ReadonlyMap<string, CatalogTitle>) {
  const known = titles.get(`${entry.type}:${entry.ids.tmdb ?? entry.ids.imdb}`);
  return {
    traktRank: entry.rank,
    mediaType: entry.type,
    tmdbId: entry.ids.tmdb ?? null,
    imdbId: entry.ids.imdb ?? null,
    traktId: entry.ids.trakt ?? null,
    title: known?.title ?? null,
    year: known?.year ?? null,
  };
}

/** The items the next sync wants on Trakt: a manual list's own, or a custom list's selection (not stored). */
async function wantedItems(services: Services, list: ListRecord): Promise<ListItem[]> {
  if (list.listType === "manual") return (await services.items.getItems(list.listId)).sort(byRank);
  return (await services.catalog.selectForList(list.filters ?? defaultFilters, list.itemLimit)).items;
}

async function readTrakt(services: Services, list: ListRecord): Promise<RemoteEntry[]> {
  if (list.traktListId === undefined) return [];
  try {
    return await (await services.sessionFor(list.userId)).getAllListItems(list.traktListId);
  } catch (error) {
    if (
      error instanceof TraktAuthRequiredError ||
      (error instanceof TraktHttpError && error.status === 401)
    ) {
      throw new ApiError(
        409,
        "trakt_auth_required",
        "Trakt is not linked or the link expired. Link Trakt again to see pending changes.",
      );
    }
    // The Trakt list is gone: the next sync creates it again and adds everything.
    if (error instanceof TraktHttpError && error.status === 404) return [];
    throw new ApiError(502, "trakt_unavailable", "Trakt could not be reached; try again in a moment.");
  }
}

/**
 * Whether the sync would reorder: Trakt's kept entries out of our order, or an added item that
 * outranks a kept one (Trakt appends added items at the end).
 */
function reorderNeeded(
  desired: readonly ListItem[],
  kept: readonly RemoteEntry[],
  toAdd: readonly ListItem[],
) {
  if (planReorder(desired, kept) !== null) return true;
  const keptKeys = new Set(planChanges(desired, kept).matched.keys());
  const addedKeys = new Set(toAdd.map(titleKey));
  let sawAdded = false;
  for (const item of [...desired].sort(byRank)) {
    if (keptKeys.has(titleKey(item)) && sawAdded) return true;
    if (addedKeys.has(titleKey(item))) sawAdded = true;
  }
  return false;
}
