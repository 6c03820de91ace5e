import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { WritePacer } from "#trakt/ports.ts";
import { RoundTrips } from "#trakt/RoundTrips.ts";
import { unlessConditionFails } from "./conditional.ts";
import { entity, pacerKey } from "./keys.ts";

/** How far ahead an idle user's next slot is booked: covers the booking's own round trip. */
const bookingLeadMs = 50;

/** How the gap between two writes is chosen (see `DynamoWritePacer`). */
export interface PacerTuning {
  /** Trakt's period: writes must ARRIVE at least this far apart. Default: the pacer's interval. */
  periodMs: number;
  /** Learned: how much later than another a write may arrive (its way there's jitter); undefined until known. */
  arrivalJitterMs: () => number | undefined;
  /** The margin before anything is learned. */
  initialMarginMs: number;
  /** A 429 from Trakt's limiter widens every worker's margin of this user by this much… */
  widenMs: number;
  /** …which shrinks again by this much per booked write while writes go through… */
  shrinkMs: number;
  /** …and never beyond this. */
  maxMarginMs: number;
  /**
   * A worker that wakes later than this after its slot (a busy CPU, a slow booking) would crowd the next slot: it
   * moves the next free slot back when no other write has booked it yet, and else books again instead of sending.
   * Part of every gap; raised to how late this worker's recent wake-ups were (99th percentile, at most
   * `maxMarginMs`): a wake-up that late says the event loop is busy, and the send after it (the request leaving, Trakt
   * reading it) is held up about as much, so a busy machine paces wider instead of crowding the next write.
   */
  lateToleranceMs: number;
}

/** A worker woken late this many times in a row sends anyway (at worst one 429, waited out). */
const maxRebookings = 3;

const noLearning = { arrivalJitterMs: () => undefined, initialMarginMs: 0 };
const defaultAdaptation = { widenMs: 100, shrinkMs: 10, maxMarginMs: 1_000, lateToleranceMs: 50 };

/**
 * One Trakt write per period per Trakt user, as Trakt sees them arrive, across every worker. Each write reserves
 * the next free send slot on a shared record with a conditional update, then waits for its slot. Slots lie the
 * period plus a margin apart: the margin covers how much the way to Trakt can vary between two writes (learned
 * from round trips), and a shared part that each 429 widens for every worker and that shrinks while writes go
 * through. A 429 also pushes the next free slot back for everyone. Never closer than `intervalMs`.
 */
export class DynamoWritePacer implements WritePacer {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly intervalMs: number;
  private readonly tuning: PacerTuning;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly lateness = new RoundTrips(32);
  /** What this instance did: slots booked, and slots given up because the worker woke too late and the next slot was taken (benchmark). */
  readonly counts = { booked: 0, wokeLate: 0 };

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    intervalMs: number,
    options: {
      clock?: () => number;
      sleep?: (ms: number) => Promise<void>;
      tuning?: Partial<PacerTuning>;
    } = {},
  ) {
    this.doc = doc;
    this.tableName = tableName;
    this.intervalMs = intervalMs;
    this.tuning = { periodMs: intervalMs, ...noLearning, ...defaultAdaptation, ...options.tuning };
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * The margin to keep on top of the period: the larger of what this worker learned and the user's shared margin
   * (what the workers learned, widened by 429s); a worker that learned nothing yet goes by the shared margin, or
   * the initial one for a user's first write. At most `maxMarginMs`.
   */
  marginMs(sharedMarginMs: number | undefined): number {
    const { arrivalJitterMs, initialMarginMs, maxMarginMs } = this.tuning;
    const learned = arrivalJitterMs();
    const shared = sharedMarginMs ?? learned ?? initialMarginMs;
    return Math.min(maxMarginMs, learned === undefined ? shared : Math.max(learned, shared));
  }

  /**
   * The shared margin after one more write: half-way down to what this worker learned (at least `shrinkMs`
   * closer), so each 429's widening fades within a few writes instead of dozens. A worker that learned nothing yet
   * leaves it as it is (it has nothing to shrink it towards), and does not share its cautious initial margin: the
   * next worker that learned goes by what it learned.
   */
  private nextSharedMarginMs(sharedMarginMs: number | undefined): number | undefined {
    const { arrivalJitterMs, shrinkMs } = this.tuning;
    const learned = arrivalJitterMs();
    if (learned === undefined) return sharedMarginMs;
    const shared = sharedMarginMs ?? learned;
    return Math.max(learned, shared - Math.max(shrinkMs, (shared - learned) / 2));
  }

  async acquire(key: string, options: { maxWaitMs?: number } = {}): Promise<{ deferMs: number } | undefined> {
    const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    for (let rebookings = 0; ; rebookings++) {
      const booked = await this.read(key);
      // An idle user's slot lies a little ahead, so the booking is done before it starts and the
      // write leaves at its slot, not late (a late write would crowd the next worker's slot).
      const slot = Math.max(this.clock() + bookingLeadMs, booked.nextSlotAt ?? 0);
      if (slot - this.clock() > maxWaitMs) return { deferMs: slot - this.clock() };
      // The allowance this gap holds is the one the wake-up is judged by (not one raised by this wake-up itself).
      const tolerance = this.lateToleranceMs();
      const gap = this.gapMs(booked.marginMs, tolerance);
      // What this worker learned is shared with the others; the shared margin shrinks while writes go through.
      const shared = this.nextSharedMarginMs(booked.marginMs);
      const next = slot + gap;
      if (await this.book(key, booked.nextSlotAt, next, shared)) {
        this.counts.booked++;
        const wait = slot - this.clock();
        if (wait > 0) await this.sleep(wait);
        const late = Math.max(0, this.clock() - slot);
        this.lateness.record(late);
        if (late <= tolerance || rebookings >= maxRebookings) return undefined;
        // Woken late: the slot after this one moves back, unless another write has booked it already. A late wake-up
        // says this worker's CPU is busy now, so the send may well be as late again: the next slot moves back twice.
        if (await this.book(key, next, this.clock() + late + gap, shared)) return undefined;
        this.counts.wokeLate++;
      }
    }
  }

  /** From one slot to the next: the period and the margin, never less than the interval, and the lateness allowance. */
  private gapMs(sharedMarginMs: number | undefined, toleranceMs: number): number {
    const margin = this.marginMs(sharedMarginMs);
    return Math.max(this.intervalMs, this.tuning.periodMs + margin) + toleranceMs;
  }

  private lateToleranceMs(): number {
    const { lateToleranceMs, maxMarginMs } = this.tuning;
    return Math.max(lateToleranceMs, Math.min(maxMarginMs, this.lateness.percentileMs(0.99) ?? 0));
  }

  async holdOff(key: string, ms: number, options: { widen?: boolean } = {}): Promise<void> {
    const until = this.clock() + ms;
    await this.ignoringConflicts(
      new UpdateCommand({
        TableName: this.tableName,
        Key: pacerKey(key),
        UpdateExpression: "SET nextSlotAt = :until, entity = :entity",
        ConditionExpression: "attribute_not_exists(nextSlotAt) OR nextSlotAt < :until",
        ExpressionAttributeValues: { ":until": until, ":entity": entity.pacer },
      }),
    );
    if (!options.widen) return;
    await this.ignoringConflicts(
      new UpdateCommand({
        TableName: this.tableName,
        Key: pacerKey(key),
        UpdateExpression: "SET marginMs = if_not_exists(marginMs, :zero) + :step, entity = :entity",
        ConditionExpression: "attribute_not_exists(marginMs) OR marginMs < :cap",
        ExpressionAttributeValues: {
          ":zero": 0,
          ":step": this.tuning.widenMs,
          ":cap": this.tuning.maxMarginMs,
          ":entity": entity.pacer,
        },
      }),
    );
  }

  private async read(key: string): Promise<{ nextSlotAt?: number; marginMs?: number }> {
    const response = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: pacerKey(key), ConsistentRead: true }),
    );
    const { nextSlotAt, marginMs } = response.Item ?? {};
    return {
      ...(typeof nextSlotAt === "number" ? { nextSlotAt } : {}),
      ...(typeof marginMs === "number" ? { marginMs } : {}),
    };
  }

  /** Moves the next free slot from `seen` to `next`; false when another worker moved it first. */
  private async book(
    key: string,
    seen: number | undefined,
    next: number,
    marginMs: number | undefined,
  ): Promise<boolean> {
    const written = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: `SET nextSlotAt = :next, entity = :entity${marginMs === undefined ? "" : ", marginMs = :margin"}`,
          ConditionExpression: seen === undefined ? "attribute_not_exists(nextSlotAt)" : "nextSlotAt = :seen",
          ExpressionAttributeValues: {
            ":next": next,
            ...(marginMs === undefined ? {} : { ":margin": marginMs }),
            ":entity": entity.pacer,
            ...(seen === undefined ? {} : { ":seen": seen }),
          },
        }),
      ),
    );
    return written !== undefined;
  }

  private async ignoringConflicts(command: UpdateCommand): Promise<void> {
    await unlessConditionFails(this.doc.send(command));
  }
}
