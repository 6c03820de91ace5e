import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { WritePacer } from "#trakt/ports.ts";
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
   * Part of every gap, for what happens between claiming a send and the request leaving (the claim's own round
   * trip, the event loop). A worker that wakes late does not need it: it claims its send on the shared record,
   * which holds it back until a full gap after the previous send (see `claimSend`).
   */
  lateToleranceMs: number;
}

/** A worker held back this many times in a row (each time by a newer send) sends anyway (at worst one 429, waited out). */
const maxClaims = 3;
/** A claim that took at least this long moves the recorded send time to when the send really left. */
const claimSlowMs = 2;

const noLearning = { arrivalJitterMs: () => undefined, initialMarginMs: 0 };
const defaultAdaptation = { widenMs: 100, shrinkMs: 10, maxMarginMs: 1_000, lateToleranceMs: 50 };

/**
 * One Trakt write per period per Trakt user, as Trakt sees them arrive, across every worker. Each write reserves
 * the next free send slot on a shared record with a conditional update, then waits for its slot. Slots lie the
 * period plus a margin apart: the margin covers how much the way to Trakt can vary between two writes (learned
 * from round trips), and a shared part that each 429 widens for every worker and that shrinks while writes go
 * through. A 429 also pushes the next free slot back for everyone. Never closer than `intervalMs`.
 *
 * A slot is a plan; the send is claimed on the same record when the worker wakes: a worker woken late (a busy CPU)
 * still sends, and the next worker waits until a full gap after that send instead of crowding it. No slot is
 * given up, so one late wake-up costs its lateness, not a whole period.
 */
export class DynamoWritePacer implements WritePacer {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly intervalMs: number;
  private readonly tuning: PacerTuning;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /**
   * What this instance did (benchmark): slots booked, sends held back because the previous send was less than a
   * gap ago (its worker woke late), and writes deferred because their slot was more than `maxWaitMs` away.
   */
  readonly counts = { booked: 0, heldBack: 0, deferred: 0 };

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
    for (;;) {
      const booked = await this.read(key);
      // An idle user's slot lies a little ahead, so the booking is done before it starts and the
      // write leaves at its slot, not late (a late write would crowd the next worker's slot).
      const slot = Math.max(this.clock() + bookingLeadMs, booked.nextSlotAt ?? 0);
      if (slot - this.clock() > maxWaitMs) {
        this.counts.deferred++;
        return { deferMs: slot - this.clock() };
      }
      const gap = this.gapMs(booked.marginMs);
      // What this worker learned is shared with the others; the shared margin shrinks while writes go through.
      const shared = this.nextSharedMarginMs(booked.marginMs);
      if (await this.book(key, booked.nextSlotAt, slot + gap, shared)) {
        this.counts.booked++;
        const wait = slot - this.clock();
        if (wait > 0) await this.sleep(wait);
        await this.claimSend(key, gap);
        return undefined;
      }
    }
  }

  /**
   * Records this send on the user's record, once the previous one is at least `gapMs` ago; until then waits for
   * that moment (a worker woken late has sent meanwhile) and tries again. After `maxClaims` tries it sends anyway.
   */
  private async claimSend(key: string, gapMs: number): Promise<void> {
    for (let tries = 1; ; tries++) {
      const now = this.clock();
      const previous = await this.claimAt(key, now, gapMs);
      if (previous === undefined) {
        this.recordSendStart(key, now);
        return;
      }
      if (tries >= maxClaims) return;
      this.counts.heldBack++;
      await this.sleep(Math.max(1, previous + gapMs - this.clock()));
    }
  }

  /**
   * The send leaves when the claim has answered, not when it was made: when the claim took a while (a busy
   * DynamoDB or CPU), the record is moved to now, beside the send and unless a newer send was claimed meanwhile, so
   * the next write is held back from the send itself. A failure only leaves the earlier time.
   */
  private recordSendStart(key: string, claimedAt: number): void {
    const now = this.clock();
    if (now - claimedAt < claimSlowMs) return;
    this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: "SET lastSentAt = :now",
          ConditionExpression: "lastSentAt = :claimed",
          ExpressionAttributeValues: { ":now": now, ":claimed": claimedAt },
        }),
      )
      .catch(() => undefined);
  }

  /** Sets `lastSentAt` to `now` unless the last send is less than `gapMs` ago; undefined when set, else that send. */
  private async claimAt(key: string, now: number, gapMs: number): Promise<number | undefined> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: "SET lastSentAt = :now, entity = :entity",
          ConditionExpression: "attribute_not_exists(lastSentAt) OR lastSentAt <= :latest",
          ExpressionAttributeValues: { ":now": now, ":latest": now - gapMs, ":entity": entity.pacer },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const lastSentAt = error.Item?.lastSentAt;
      return typeof lastSentAt === "object" && lastSentAt && "N" in lastSentAt ? Number(lastSentAt.N) : now;
    }
  }

  /** From one send to the next: the period and the margin, never less than the interval, and the send allowance. */
  private gapMs(sharedMarginMs: number | undefined): number {
    const margin = this.marginMs(sharedMarginMs);
    return Math.max(this.intervalMs, this.tuning.periodMs + margin) + this.tuning.lateToleranceMs;
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
