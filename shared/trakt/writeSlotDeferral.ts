import { WriteDeferredError } from "#sync/traktErrors.ts";
import type { WritePacer } from "./ports.ts";

/**
 * The decision taken before booking a write slot: wait for it (it is at most `maxWaitMs` away) or
 * defer the whole sync. `maxWaitMs` Infinity never defers (the last delivery, scripts, tests).
 */
export async function deferIfSlotFar(pacer: WritePacer, key: string, maxWaitMs: number): Promise<void> {
  if (!Number.isFinite(maxWaitMs)) return;
  const waitMs = await pacer.waitFor(key);
  if (waitMs > maxWaitMs) throw new WriteDeferredError(waitMs);
}
