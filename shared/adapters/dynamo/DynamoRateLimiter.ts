import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { rateWindowKey } from "./keys.ts";

type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const windowMs = 60_000;

/**
 * Requests per user per minute, counted in the table so the limit holds across every Lambda
 * instance: one atomic `ADD` per request on the user's record of the current minute (fixed window),
 * which expires by TTL (`ttl`) a few minutes later. A burst across a window edge can reach twice the
 * limit for a moment; that is the price of one write per request.
 */
export class DynamoRateLimiter {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: () => number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, clock: () => number = Date.now) {
    this.doc = doc;
    this.tableName = tableName;
    this.clock = clock;
  }

  async hit(userId: string, limitPerMinute: number): Promise<RateDecision> {
    const now = this.clock();
    const windowStart = now - (now % windowMs);
    const response = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: rateWindowKey(userId, windowStart),
        UpdateExpression: "ADD hits :one SET #ttl = if_not_exists(#ttl, :ttl)",
        ExpressionAttributeNames: { "#ttl": "ttl" },
        ExpressionAttributeValues: { ":one": 1, ":ttl": Math.ceil((windowStart + 5 * windowMs) / 1000) },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    const hits = Number(response.Attributes?.hits ?? 0);
    if (hits <= limitPerMinute) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
    };
  }
}
