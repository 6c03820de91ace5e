import { classifyFailure } from "./failures.ts";
import type { ListStore, SyncFailure } from "./ports.ts";

/** Puts what stopped the work on the list, in words the user understands (unless it is mere contention), and says whether to retry. */
export async function recordFailure(
  lists: ListStore,
  userId: string,
  listId: string,
  error: unknown,
  now: Date = new Date(),
): Promise<SyncFailure> {
  const failure = classifyFailure(error);
  if (failure.record) await lists.recordSyncFailure(userId, listId, failure, now.toISOString());
  return failure;
}
