import type { SyncState } from "#domain/list.ts";

/** How long after an event a list that has not reached `synced` becomes due for the backfill. */
const repairDelays = {
  /** A new list: the stream → create → sync flow normally finishes well before this. */
  afterCreate: 2 * 60_000,
  /** A sync that started and never recorded an outcome (crash, timeout). */
  afterStart: 15 * 60_000,
  /** A failed sync: SQS retries first; the backfill picks up what is left. */
  afterFailure: 5 * 60_000,
  /** Limited, locked or VIP-only: look again once a day in case the account changed. */
  afterAccountProblem: 24 * 60 * 60_000,
  /** A synced list: check against Trakt's own count once a day, to catch drift made on Trakt. */
  verifyAfter: 24 * 60 * 60_000,
} as const;

/** What just happened to a list, as far as its next repair is concerned. */
export type RepairEvent = keyof typeof repairDelays;

/**
 * When a list becomes due for the backfill. `scale` shrinks every delay alike (REPAIR_DELAY_SCALE: tests
 * and chaos runs bring a day's drift check into minutes); it is fixed when the schedule is made.
 */
export class RepairSchedule {
  private readonly scale: number;

  constructor(scale = 1) {
    this.scale = scale;
  }

  /** The instant (ISO) a list becomes due when `event` happened at `now` (epoch ms). */
  dueAt(event: RepairEvent, now: number): string {
    return new Date(now + repairDelays[event] * this.scale).toISOString();
  }

  /** After a recorded sync: limited lists in case the account's limits changed, synced ones for their drift check. */
  eventAfterResult(state: Extract<SyncState, "synced" | "limited">): RepairEvent {
    return state === "limited" ? "afterAccountProblem" : "verifyAfter";
  }

  /**
   * After a recorded failure; undefined for `auth_required`: such a list waits for the user to link Trakt
   * again (which queues its syncs), not for the backfill.
   */
  eventAfterFailure(state: SyncState): RepairEvent | undefined {
    if (state === "auth_required") return undefined;
    return state === "failed" ? "afterFailure" : "afterAccountProblem";
  }
}
