import { classifyFailure } from "./failures.ts";
import type { FailedOutcome, ListStore } from "./ports.ts";

/**
 * What stopped the work, as an outcome: put on the list in words the user understands (unless it is mere
 * contention); the failure says whether to retry.
 */
export async function recordFailure(
  lists: ListStore,
  userId: string,
  listId: string,
  error: unknown,
  now: Date = new Date(),
): Promise<FailedOutcome> {
  const failure = classifyFailure(error);
  if (failure.record) await lists.recordSyncFailure(userId, listId, failure, now.toISOString());
  return { status: "failed", failure, error };
}
