import type { RemoteEntry, RemoteEntryType } from "#domain/remoteEntry.ts";
import { TraktHttpError } from "#sync/traktErrors.ts";
import type {
  NewTraktList,
  TraktAddResult,
  TraktIds,
  TraktItemsBody,
  TraktList,
  TraktRemoveResult,
  TraktReorderResult,
  TraktSession,
  TraktSettings,
} from "#sync/traktSession.ts";

type Method = keyof TraktSession;
type Collection = keyof TraktItemsBody;

interface Fault {
  method: Method;
  error: unknown;
  afterApply: boolean;
}

const entryTypes: Record<Collection, RemoteEntryType> = {
  movies: "movie",
  shows: "show",
  seasons: "season",
  episodes: "episode",
  people: "person",
};

/** A Trakt answer with `status` to `method path` (420s may carry the account limit's headers). */
export function traktHttpError(
  status: number,
  path = "/users/me/lists",
  extra: Partial<ConstructorParameters<typeof TraktHttpError>[0]> = {},
): TraktHttpError {
  return new TraktHttpError({ status, method: "POST", path, bodyText: "", ...extra });
}

/**
 * One user's Trakt lists in memory behind the sync's TraktSession port: items matched by TMDB or IMDb id,
 * titles Trakt cannot match (`unknownTitles`), the account's item and list limits (420 beyond them), and
 * faults queued per method, before or after the call did its work.
 */
export class MemoryTraktSession implements TraktSession {
  readonly lists = new Map<number, { list: TraktList; entries: RemoteEntry[] }>();
  /** Titles Trakt cannot match, as `movie:tmdb:1` or `show:imdb:tt0000001`. */
  readonly unknownTitles = new Set<string>();
  /** Every call, as `method` or `method <Trakt list id>`. */
  readonly calls: string[] = [];
  itemLimit: number | undefined;
  listLimit: number | undefined;
  vip = false;
  private readonly faults: Fault[] = [];
  private nextId = 100;

  /** The next call of `method` throws `error`; `afterApply`: after doing its work (Trakt applied it, then failed). */
  failNext(method: Method, error: unknown, options: { afterApply?: boolean } = {}): void {
    this.faults.push({ method, error, afterApply: options.afterApply ?? false });
  }

  /** A Trakt list made on Trakt (by hand, or by an earlier worker), with its items' TMDB ids. */
  seedList(list: Partial<TraktList> & { name: string }, tmdbIds: readonly number[] = []): number {
    const id = this.nextId++;
    const entries = tmdbIds.map((tmdb, index) => this.newEntry("movie", { tmdb }, index + 1));
    const traktList = {
      description: null,
      privacy: "private",
      item_count: 0,
      ...list,
      ids: { trakt: id, slug: `list-${id}` },
    };
    this.lists.set(id, { list: traktList, entries });
    return id;
  }

  /** The list's items' TMDB ids in Trakt's rank order. */
  tmdbIdsOf(traktListId: number): (number | undefined)[] {
    return [...(this.lists.get(traktListId)?.entries ?? [])]
      .sort((a, b) => a.rank - b.rank)
      .map((e) => e.ids.tmdb);
  }

  getLists(): Promise<TraktList[]> {
    return this.call("getLists", undefined, () =>
      [...this.lists.values()].map(({ list, entries }) => ({ ...list, item_count: entries.length })),
    );
  }

  getAllListItems(traktListId: number): Promise<RemoteEntry[]> {
    return this.call("getAllListItems", traktListId, () =>
      this.listOf(traktListId, "/items").entries.map((e) => ({ ...e })),
    );
  }

  getSettings(): Promise<TraktSettings> {
    return this.call("getSettings", undefined, () => ({
      user: { username: "fake", ids: { slug: "fake" } },
      account: { vip: this.vip },
      limits: {
        list: {
          ...(this.listLimit !== undefined ? { count: this.listLimit } : {}),
          ...(this.itemLimit !== undefined ? { item_count: this.itemLimit } : {}),
        },
      },
    }));
  }

  createList(list: NewTraktList): Promise<TraktList> {
    return this.call("createList", undefined, () => {
      if (this.listLimit !== undefined && this.lists.size >= this.listLimit)
        throw traktHttpError(420, "/users/me/lists", {
          accountLimit: { limit: this.listLimit, vip: this.vip },
        });
      const id = this.seedList({ ...list });
      return { ...this.lists.get(id)!.list };
    });
  }

  updateList(traktListId: number, changes: Partial<NewTraktList>): Promise<TraktList> {
    return this.call("updateList", traktListId, () => {
      const found = this.listOf(traktListId, "");
      found.list = { ...found.list, ...changes };
      return { ...found.list };
    });
  }

  deleteList(traktListId: number): Promise<void> {
    return this.call("deleteList", traktListId, () => {
      this.listOf(traktListId, "");
      this.lists.delete(traktListId);
    });
  }

  addItems(traktListId: number, items: TraktItemsBody): Promise<TraktAddResult> {
    return this.call("addItems", traktListId, () => {
      const { entries } = this.listOf(traktListId, "/items");
      const result: TraktAddResult = { added: {}, existing: {}, not_found: {} };
      const fresh = this.entriesOf(items).filter(
        ({ type, ids }) => !this.isUnknown(type, ids) && !findEntry(entries, type, ids),
      );
      if (this.itemLimit !== undefined && entries.length + fresh.length > this.itemLimit)
        throw traktHttpError(420, `/users/me/lists/${traktListId}/items`, {
          accountLimit: { limit: this.itemLimit, vip: this.vip },
        });
      for (const { collection, type, ids } of this.entriesOf(items)) {
        const outcome = this.isUnknown(type, ids)
          ? "not_found"
          : findEntry(entries, type, ids)
            ? "existing"
            : "added";
        if (outcome === "not_found")
          result.not_found[collection] = [...(result.not_found[collection] ?? []), { ids }];
        else result[outcome][collection] = (result[outcome][collection] ?? 0) + 1;
        if (outcome === "added") entries.push(this.newEntry(type, ids, entries.length + 1));
      }
      return result;
    });
  }

  removeItems(traktListId: number, items: TraktItemsBody): Promise<TraktRemoveResult> {
    return this.call("removeItems", traktListId, () => {
      const found = this.listOf(traktListId, "/items/remove");
      const result: TraktRemoveResult = { deleted: {}, not_found: {} };
      for (const { collection, type, ids } of this.entriesOf(items)) {
        const entry = findEntry(found.entries, type, ids);
        if (!entry) continue;
        found.entries = found.entries.filter((e) => e !== entry);
        result.deleted[collection] = (result.deleted[collection] ?? 0) + 1;
      }
      found.entries
        .sort((a, b) => a.rank - b.rank)
        .forEach((e, index) => {
          e.rank = index + 1;
        });
      return result;
    });
  }

  reorderItems(traktListId: number, listItemIds: number[]): Promise<TraktReorderResult> {
    return this.call("reorderItems", traktListId, () => {
      const { entries } = this.listOf(traktListId, "/items/reorder");
      for (const entry of entries) entry.rank = listItemIds.indexOf(entry.listItemId) + 1;
      return { updated: entries.length, skipped_ids: [] };
    });
  }

  private async call<T>(method: Method, traktListId: number | undefined, work: () => T): Promise<T> {
    this.calls.push(traktListId === undefined ? method : `${method} ${traktListId}`);
    const at = this.faults.findIndex((fault) => fault.method === method);
    const fault = at < 0 ? undefined : this.faults.splice(at, 1)[0];
    if (fault && !fault.afterApply) throw fault.error;
    const result = work();
    if (fault) throw fault.error;
    return result;
  }

  private listOf(traktListId: number, suffix: string) {
    const found = this.lists.get(traktListId);
    if (!found) throw traktHttpError(404, `/users/me/lists/${traktListId}${suffix}`);
    return found;
  }

  private entriesOf(body: TraktItemsBody) {
    return (Object.keys(body) as Collection[]).flatMap((collection) =>
      (body[collection] ?? []).map(({ ids }) => ({ collection, type: entryTypes[collection], ids })),
    );
  }

  private isUnknown(type: RemoteEntryType, ids: TraktIds): boolean {
    return (
      (ids.tmdb !== undefined && this.unknownTitles.has(`${type}:tmdb:${ids.tmdb}`)) ||
      (ids.imdb !== undefined && this.unknownTitles.has(`${type}:imdb:${ids.imdb}`))
    );
  }

  private newEntry(type: RemoteEntryType, ids: TraktIds, rank: number): RemoteEntry {
    const traktId = ids.trakt ?? this.nextId++;
    return {
      listItemId: this.nextId++,
      rank,
      type,
      ids: {
        trakt: traktId,
        ...(ids.tmdb !== undefined ? { tmdb: ids.tmdb } : {}),
        ...(ids.imdb ? { imdb: ids.imdb } : {}),
      },
    };
  }
}

function findEntry(
  entries: readonly RemoteEntry[],
  type: RemoteEntryType,
  ids: TraktIds,
): RemoteEntry | undefined {
  return entries.find(
    (e) =>
      e.type === type &&
      ((ids.trakt !== undefined && e.ids.trakt === ids.trakt) ||
        (ids.tmdb !== undefined && e.ids.tmdb === ids.tmdb) ||
        (ids.imdb !== undefined && e.ids.imdb === ids.imdb)),
  );
}
