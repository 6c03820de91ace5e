import { repairShards } from "../adapters/dynamo/keys.ts";
import { type DueList, type ListRepository, repairDelays } from "../adapters/dynamo/ListRepository.ts";
import type { SyncQueue } from "./ports.ts";
import { newSyncRequest } from "./syncRequest.ts";

export interface BackfillReport {
  /** Lists read from the repair index. */
  examined: number;
  /** Syncs queued (a sync also creates a missing Trakt list). */
  enqueued: number;
  /** Read capacity the index queries consumed. */
  consumedRcu: number;
  /** True when the run stopped at its bound with more lists due; the next run continues. */
  truncated: boolean;
}

export interface BackfillOptions {
  /** Most lists one run repairs. */
  maxLists: number;
  /** Index page size. */
  pageSize?: number;
  onProgress?: (report: BackfillReport) => void;
}

/**
 * Finds the lists that need repair through the sparse repair index (never the whole table) and
 * queues a sync for each. Each queued list's repair time moves forward, so it drops out of the due
 * range: a run that stops at its bound leaves the rest for the next run, which continues there.
 */
export async function runBackfill(
  deps: { lists: ListRepository; queue: SyncQueue },
  options: BackfillOptions,
): Promise<BackfillReport> {
  const report: BackfillReport = { examined: 0, enqueued: 0, consumedRcu: 0, truncated: false };
  const pageSize = options.pageSize ?? 100;
  for (const shard of repairShards) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const remaining = options.maxLists - report.examined;
      if (remaining <= 0) {
        report.truncated = true;
        return report;
      }
      const page = await deps.lists.dueForRepair(shard, Math.min(pageSize, remaining), startKey);
      report.consumedRcu += page.consumedRcu;
      for (const due of page.lists) await repair(deps, due, report);
      options.onProgress?.({ ...report });
      startKey = page.nextKey;
    } while (startKey);
  }
  return report;
}

async function repair(
  deps: { lists: ListRepository; queue: SyncQueue },
  due: DueList,
  report: BackfillReport,
) {
  report.examined++;
  await deps.lists.deferRepair(due.userId, due.listId, repairDelays.afterStart);
  await deps.queue.enqueue(newSyncRequest(due.userId, due.listId, "backfill"));
  report.enqueued++;
}
