import type { Catalog } from "#catalog/Catalog.ts";
import { defaultFilters } from "#domain/filters.ts";
import type { ListRecord } from "#domain/list.ts";
import type { SyncQueue } from "./ports.ts";
import { newSyncRequest } from "./syncRequest.ts";

/** A place in the directory of users (its shard, and a user in it): where a refresh pass resumes. */
export interface DirectoryPosition {
  shard: number;
  userId: string;
}

/** Where the refresh stands: a pass over every custom list against one catalog version. */
export interface CatalogRefreshState {
  /** Set while a pass is unfinished: the version it evaluates and the last user it finished. */
  pass?: {
    version: string;
    startedAt: string;
    after?: DirectoryPosition;
    examined: number;
    changed: number;
    queued: number;
  };
  lastVersion?: string;
  lastPassStartedAt?: string;
}

export interface RefreshStateStore {
  load(): Promise<CatalogRefreshState | undefined>;
  save(state: CatalogRefreshState): Promise<void>;
}

interface CatalogRefreshDeps {
  state: RefreshStateStore;
  usersAfter(after?: DirectoryPosition): AsyncIterable<DirectoryPosition>;
  listsOf(userId: string): Promise<ListRecord[]>;
  queue: SyncQueue;
  /** The latest published version (undefined while there is none). */
  catalog(): Promise<Catalog | undefined>;
}

export interface CatalogRefreshReport {
  status: "no-catalog" | "idle" | "partial" | "complete";
  version?: string;
  /** This run. */
  examined: number;
  changed: number;
  queued: number;
  /** The whole pass so far. */
  pass?: { examined: number; changed: number; queued: number };
  durationMs: number;
}

/**
 * Evaluates every custom list against the current catalog version and queues a sync only for those
 * whose selection changed (its hash of ids in rank order differs from the one its last sync stored).
 * A pass starts on a new version, or when the last one is older than `passIntervalMs`; each run
 * handles at most `maxLists` lists and records where it stopped, so the next run continues there.
 * Lists whose first sync has not finished are left to the sync already on its way (and the backfill).
 */
export async function runCatalogRefresh(
  deps: CatalogRefreshDeps,
  options: { maxLists: number; passIntervalMs: number; now?: () => Date },
): Promise<CatalogRefreshReport> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const catalog = await deps.catalog();
  const run = { examined: 0, changed: 0, queued: 0 };
  if (!catalog) return { status: "no-catalog", ...run, durationMs: Date.now() - started };
  const state = (await deps.state.load()) ?? {};
  let pass = state.pass;
  if (pass && pass.version !== catalog.version) pass = undefined; // a newer version: start over against it
  if (!pass) {
    const due =
      state.lastVersion !== catalog.version ||
      !state.lastPassStartedAt ||
      now().getTime() - Date.parse(state.lastPassStartedAt) >= options.passIntervalMs;
    if (!due) return { status: "idle", version: catalog.version, ...run, durationMs: Date.now() - started };
    pass = { version: catalog.version, startedAt: now().toISOString(), examined: 0, changed: 0, queued: 0 };
  }
  for await (const position of deps.usersAfter(pass.after)) {
    for (const list of await deps.listsOf(position.userId)) {
      if (list.listType !== "custom") continue;
      run.examined++;
      if (list.selectionHash === undefined) continue;
      const selection = catalog.select(list.filters ?? defaultFilters, list.itemLimit);
      if (selection.selectionHash === list.selectionHash) continue;
      run.changed++;
      await deps.queue.enqueue(newSyncRequest(list.userId, list.listId, "catalog_refresh"));
      run.queued++;
    }
    pass.after = position;
    if (run.examined >= options.maxLists) {
      const partial = add(pass, run);
      await deps.state.save({ ...state, pass: partial });
      return {
        status: "partial",
        version: catalog.version,
        ...run,
        pass: counts(partial),
        durationMs: Date.now() - started,
      };
    }
  }
  const finished = add(pass, run);
  await deps.state.save({ lastVersion: catalog.version, lastPassStartedAt: finished.startedAt });
  return {
    status: "complete",
    version: catalog.version,
    ...run,
    pass: counts(finished),
    durationMs: Date.now() - started,
  };
}

function add<P extends { examined: number; changed: number; queued: number }>(
  pass: P,
  run: { examined: number; changed: number; queued: number },
): P {
  return {
    ...pass,
    examined: pass.examined + run.examined,
    changed: pass.changed + run.changed,
    queued: pass.queued + run.queued,
  };
}

function counts(pass: { examined: number; changed: number; queued: number }) {
  return { examined: pass.examined, changed: pass.changed, queued: pass.queued };
}
