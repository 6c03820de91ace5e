import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { SendTurn, WritePacer, WriteTurn } from "#trakt/ports.ts";
import { unlessConditionFails } from "./conditional.ts";
import { entity, pacerKey } from "./keys.ts";

/** How the gap between two writes is chosen (see `DynamoWritePacer`). */
export interface PacerTuning {
  /** Trakt's period: writes must ARRIVE at least this far apart. Default: the pacer's interval. */
  periodMs: number;
  /** Learned: how much later than another a write may arrive (its way there's jitter); undefined until known. */
  arrivalJitterMs: () => number | undefined;
  /**
   * Learned: how much later than the fastest way there a write answered after this round trip may have reached
   * Trakt; never more than the round trip itself (the default, before anything is learned).
   */
  arrivalLatenessMs: (roundTripMs: number) => number;
  /** Learned: that lateness for a typical write, which slots are planned with; undefined until known. */
  typicalLatenessMs: () => number | undefined;
  /** The margin before anything is learned. */
  initialMarginMs: number;
  /** A 429 from Trakt's limiter widens every worker's margin of this user by this much… */
  widenMs: number;
  /** …which shrinks again by this much per booked write while writes go through… */
  shrinkMs: number;
  /** …and never beyond this. */
  maxMarginMs: number;
  /** Part of every gap, for what happens between a turn and the request leaving (the event loop, a busy CPU). */
  lateToleranceMs: number;
}

/** A worker refused this many times in a row (each time by a newer send) sends anyway (at worst one 429, waited out). */
const maxClaims = 3;

const noLearning = {
  arrivalJitterMs: () => undefined,
  arrivalLatenessMs: (roundTripMs: number) => roundTripMs,
  typicalLatenessMs: () => undefined,
  initialMarginMs: 0,
};
const defaultAdaptation = { widenMs: 100, shrinkMs: 10, maxMarginMs: 1_000, lateToleranceMs: 50 };

/** A send recorded on the user's record: when it leaves, and when the next one may leave until it is answered. */
interface Claim {
  at: number;
  next: number;
}

/**
 * One Trakt write per period per Trakt user, as Trakt sees them arrive, across every worker. Each write reserves
 * the next free send slot on a shared record with a conditional update, then waits for its slot. Slots are planned
 * the period plus a typical write's margin apart. A 429 pushes the next free slot back for everyone.
 *
 * A slot is a plan; the send is claimed on the same record when the worker wakes, and only once the previous send's
 * `nextSendAt` has come. A worker that wakes before it claims that moment ahead and sleeps until then. Until a write
 * is answered, the next may leave the period plus the full margin after it: the margin covers how much later than
 * another a write may arrive (learned from round trips), and a shared part that each 429 widens for every worker
 * and that shrinks while writes go through. Once answered, its round trip bounds how late it can have arrived, and
 * the next write leaves the period plus that bound after it: sooner after a quick answer, later after a slow one.
 * Never closer than `intervalMs`.
 */
export class DynamoWritePacer implements WritePacer {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly intervalMs: number;
  private readonly tuning: PacerTuning;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /**
   * What this instance did (benchmark): slots booked, sends held back because the previous send's next moment had
   * not come when their worker woke, and writes deferred because their slot was more than `maxWaitMs` away.
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

  /** What 429s added to the shared margin beyond what this worker learned: kept on top of any evidence. */
  private widenedByMs(sharedMarginMs: number | undefined): number {
    const learned = this.tuning.arrivalJitterMs();
    return learned === undefined || sharedMarginMs === undefined ? 0 : Math.max(0, sharedMarginMs - learned);
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

  async acquire(key: string, options: { maxWaitMs?: number } = {}): Promise<WriteTurn> {
    const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    for (;;) {
      const booked = await this.read(key);
      // An idle user's slot is now: the claim, not the slot, keeps the write from crowding the one before.
      const slot = Math.max(this.clock(), booked.nextSlotAt ?? 0);
      if (slot - this.clock() > maxWaitMs) {
        this.counts.deferred++;
        return { deferMs: slot - this.clock() };
      }
      const typical = this.tuning.typicalLatenessMs() ?? Number.POSITIVE_INFINITY;
      const planned = this.gapMs(
        Math.min(this.marginMs(booked.marginMs), typical + this.widenedByMs(booked.marginMs)),
      );
      // What this worker learned is shared with the others; the shared margin shrinks while writes go through.
      const shared = this.nextSharedMarginMs(booked.marginMs);
      if (await this.book(key, booked.nextSlotAt, slot + planned, shared)) {
        this.counts.booked++;
        const wait = slot - this.clock();
        if (wait > 0) await this.sleep(wait);
        return this.claimSend(key, booked.marginMs);
      }
    }
  }

  /**
   * Records this send on the user's record once the previous send's `nextSendAt` has come. A worker that woke
   * before it claims that moment instead, and sleeps until then. After `maxClaims` refusals it sends anyway.
   */
  private async claimSend(key: string, sharedMarginMs: number | undefined): Promise<SendTurn> {
    const cautiousGap = this.gapMs(this.marginMs(sharedMarginMs));
    for (let tries = 1; ; tries++) {
      const now = this.clock();
      const claim = { at: now, next: now + cautiousGap };
      const nextSendAt = await this.claimAt(key, claim);
      if (nextSendAt === undefined) return this.turn(key, claim, sharedMarginMs);
      this.counts.heldBack++;
      const ahead = { at: nextSendAt, next: nextSendAt + cautiousGap };
      if (await this.claimAhead(key, ahead, nextSendAt)) {
        const wait = ahead.at - this.clock();
        if (wait > 0) await this.sleep(wait);
        return this.turn(key, ahead, sharedMarginMs);
      }
      if (tries >= maxClaims) return { sent: async () => undefined };
    }
  }

  /**
   * The turn of a claimed send. Its report moves the next send to the period after it left, plus how late its round
   * trip says it can have arrived (plus what 429s widened), unless a newer send or a 429's hold-off moved it meanwhile.
   * That bound is kept even above the learned margin: a round trip that long may be a stall on the way there (a busy
   * CPU, a slow hop), and a write sent after it less the bound would then crowd it.
   */
  private turn(key: string, claim: Claim, sharedMarginMs: number | undefined): SendTurn {
    return {
      sent: async ({ leftAt, roundTripMs }) => {
        const lateness = this.tuning.arrivalLatenessMs(roundTripMs) + this.widenedByMs(sharedMarginMs);
        const next = leftAt + this.gapMs(Math.min(this.tuning.maxMarginMs, lateness));
        await this.doc
          .send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: pacerKey(key),
              UpdateExpression: "SET lastSentAt = :left, nextSendAt = :next",
              ConditionExpression: "nextSendAt = :claimed",
              ExpressionAttributeValues: { ":left": leftAt, ":next": next, ":claimed": claim.next },
            }),
          )
          .catch(() => undefined);
      },
    };
  }

  /** Claims a send now unless the previous send's next moment is still ahead; undefined when claimed, else that moment. */
  private async claimAt(key: string, claim: Claim): Promise<number | undefined> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: "SET lastSentAt = :at, nextSendAt = :next, entity = :entity",
          ConditionExpression: "attribute_not_exists(nextSendAt) OR nextSendAt <= :at",
          ExpressionAttributeValues: { ":at": claim.at, ":next": claim.next, ":entity": entity.pacer },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const nextSendAt = error.Item?.nextSendAt;
      return typeof nextSendAt === "object" && nextSendAt && "N" in nextSendAt
        ? Number(nextSendAt.N)
        : claim.at + this.intervalMs;
    }
  }

  /** Claims the send for `claim.at`, the moment the previous send allows, unless another worker claimed it first. */
  private async claimAhead(key: string, claim: Claim, seen: number): Promise<boolean> {
    const written = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: "SET lastSentAt = :at, nextSendAt = :next",
          ConditionExpression: "nextSendAt = :seen",
          ExpressionAttributeValues: { ":at": claim.at, ":next": claim.next, ":seen": seen },
        }),
      ),
    );
    return written !== undefined;
  }

  /** From one send to the next: the period and the margin, never less than the interval, and the send allowance. */
  private gapMs(marginMs: number): number {
    return Math.max(this.intervalMs, this.tuning.periodMs + marginMs) + this.tuning.lateToleranceMs;
  }

  /** Pushes both the next free slot and the next send back, so workers already asleep on a slot wait too. */
  async holdOff(key: string, ms: number, options: { widen?: boolean } = {}): Promise<void> {
    const until = this.clock() + ms;
    const pushBack = (moment: "nextSlotAt" | "nextSendAt") =>
      this.ignoringConflicts(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: `SET ${moment} = :until, entity = :entity`,
          ConditionExpression: `attribute_not_exists(${moment}) OR ${moment} < :until`,
          ExpressionAttributeValues: { ":until": until, ":entity": entity.pacer },
        }),
      );
    await Promise.all([pushBack("nextSlotAt"), pushBack("nextSendAt")]);
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
