import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { WritePacer } from "../../sync/ports.ts";
import { entity, pacerKey } from "./keys.ts";

/** How far ahead an idle user's next slot is booked: covers the booking's own round trip. */
const bookingLeadMs = 50;

/**
 * One Trakt write per interval per Trakt user, across every worker: each write reserves the next
 * free time slot on a shared record with a conditional update, then waits for its slot. A 429
 * pushes the next free slot back for everyone.
 */
export class DynamoWritePacer implements WritePacer {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly intervalMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    intervalMs: number,
    options: { clock?: () => number; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.doc = doc;
    this.tableName = tableName;
    this.intervalMs = intervalMs;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async acquire(key: string): Promise<void> {
    for (;;) {
      const booked = await this.nextFreeSlot(key);
      // An idle user's slot lies a little ahead, so the booking is done before it starts and the
      // write leaves at its slot, not late (a late write would crowd the next worker's slot).
      const slot = Math.max(this.clock() + bookingLeadMs, booked ?? 0);
      if (await this.book(key, booked, slot + this.intervalMs)) {
        const wait = slot - this.clock();
        if (wait > 0) await this.sleep(wait);
        return;
      }
    }
  }

  async waitFor(key: string): Promise<number> {
    const next = await this.nextFreeSlot(key);
    return Math.max(0, (next ?? 0) - this.clock());
  }

  async holdOff(key: string, ms: number): Promise<void> {
    const until = this.clock() + ms;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: "SET nextSlotAt = :until, entity = :entity",
          ConditionExpression: "attribute_not_exists(nextSlotAt) OR nextSlotAt < :until",
          ExpressionAttributeValues: { ":until": until, ":entity": entity.pacer },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async nextFreeSlot(key: string): Promise<number | undefined> {
    const response = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: pacerKey(key), ConsistentRead: true }),
    );
    const value = response.Item?.nextSlotAt;
    return typeof value === "number" ? value : undefined;
  }

  /** Moves the next free slot from `seen` to `next`; false when another worker moved it first. */
  private async book(key: string, seen: number | undefined, next: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pacerKey(key),
          UpdateExpression: "SET nextSlotAt = :next, entity = :entity",
          ConditionExpression: seen === undefined ? "attribute_not_exists(nextSlotAt)" : "nextSlotAt = :seen",
          ExpressionAttributeValues: {
            ":next": next,
            ":entity": entity.pacer,
            ...(seen === undefined ? {} : { ":seen": seen }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
