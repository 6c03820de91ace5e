import { type ClassifiedFailure, classifyFailure } from "./failures.ts";
import type { ListStore } from "./ports.ts";

/** Puts what stopped the work on the list, in words the user understands (unless it is mere contention), and says whether to retry. */
export async function recordFailure(
  lists: ListStore,
  userId: string,
  listId: string,
  error: unknown,
  now: Date = new Date(),
): Promise<ClassifiedFailure> {
  const failure = classifyFailure(error);
  if (!failure.record) return failure;
  await lists.recordSyncFailure(userId, listId, {
    state: failure.state,
    error: { code: failure.code, message: failure.message, at: now.toISOString() },
    ...(failure.limit ? { limit: failure.limit } : {}),
  });
  return failure;
}
