import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { DynamoRateLimiter } from "#adapters/dynamo/DynamoRateLimiter.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.drop();
});

describe("DynamoRateLimiter", () => {
  it("holds the per-minute limit across instances (separate clients, concurrent requests)", async () => {
    // Prepare: three "Lambda instances", each with its own client, same fixed clock inside one window
    const clock = () => 1_800_000_000_000 + 10_000;
    const instances = Array.from(
      { length: 3 },
      () => new DynamoRateLimiter(createDocumentClient(table.endpoint), table.tableName, clock),
    );

    // Act: 30 requests of one user spread over the instances, limit 10
    const decisions = await Promise.all(
      Array.from({ length: 30 }, (_, i) => instances[i % 3]!.hit("busy-user", 10)),
    );
    const other = await instances[0]!.hit("quiet-user", 10);

    // Assess
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    const refused = decisions.find((d) => !d.allowed);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(other.allowed).toBe(true);
  });

  it("opens again in the next minute", async () => {
    // Prepare
    let now = 1_800_000_000_000;
    const limiter = new DynamoRateLimiter(table.doc, table.tableName, () => now);
    await limiter.hit("minute-user", 1);
    expect((await limiter.hit("minute-user", 1)).allowed).toBe(false);

    // Act
    now += 60_000;

    // Assess
    expect((await limiter.hit("minute-user", 1)).allowed).toBe(true);
  });
});
