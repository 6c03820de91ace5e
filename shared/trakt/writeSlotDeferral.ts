import type { WritePacer } from "#sync/ports.ts";

/**
 * The user's next Trakt write slot is further away than a sync may wait: the sync stops and its
 * message comes back after `delayMs` (SQS visibility), instead of a Lambda sleeping until then.
 */
export class WriteDeferredError extends Error {
  readonly delayMs: number;
  constructor(delayMs: number) {
    super(`The next Trakt write slot is ${Math.round(delayMs / 1000)} s away; the sync continues later`);
    this.name = "WriteDeferredError";
    this.delayMs = delayMs;
  }
}

/**
 * The decision taken before booking a write slot: wait for it (it is at most `maxWaitMs` away) or
 * defer the whole sync. `maxWaitMs` Infinity never defers (the last delivery, scripts, tests).
 */
export async function deferIfSlotFar(pacer: WritePacer, key: string, maxWaitMs: number): Promise<void> {
  if (!Number.isFinite(maxWaitMs)) return;
  const waitMs = await pacer.waitFor(key);
  if (waitMs > maxWaitMs) throw new WriteDeferredError(waitMs);
}
