import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listInsertedFilter } from "#config/eventFilters.ts";
import { StreamPoller } from "#infra/local/runtime/streamPoller.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";
import { eventually } from "#test/support/eventually.ts";

/**
 * The local stream poller with a ParallelizationFactor: a slow batch (a create waiting for its user's Trakt write
 * slot) holds up only its own partition key's records, and one key's records arrive in order.
 */
describe("stream poller lanes", () => {
  let table: TestTable;
  let streamArn: string;
  beforeAll(async () => {
    table = await createTestTable();
    const { Table } = await table.doc.send(new DescribeTableCommand({ TableName: table.tableName }));
    streamArn = Table!.LatestStreamArn!;
  });
  afterAll(() => table.drop());

  const putList = (userId: string, listId: string) =>
    table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: `USER#${userId}`, sk: `LIST#${listId}`, entity: "LIST", userId, listId },
      }),
    );

  async function deliveriesWith(parallelizationFactor: number) {
    const delivered: string[] = [];
    let releaseSlow: () => void = () => undefined;
    const slowHeld = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const poller = new StreamPoller(
      {
        functionName: `lanes-${parallelizationFactor}`,
        handler: async (event: DynamoDBStreamEvent) => {
          for (const record of event.Records) {
            const listId = record.dynamodb?.NewImage?.listId?.S ?? "?";
            if (listId === "slow-1") await slowHeld;
            delivered.push(listId);
          }
          return { batchItemFailures: [] };
        },
        streamArn,
        filter: listInsertedFilter,
        batchSize: 1,
        retryAttempts: 0,
        timeoutSeconds: 30,
        onFailure: { sqs: undefined as never, queueUrl: "unused" },
        pollIntervalMs: 50,
        parallelizationFactor,
      },
      table.endpoint,
    );
    return { poller, delivered, releaseSlow };
  }

  it("delivers other users' records while one user's batch waits, and one user's records in order", async () => {
    // Prepare: user "slow" creates two lists, then 11 other users one each
    const { poller, delivered, releaseSlow } = await deliveriesWith(10);
    await putList("slow", "slow-1");
    await putList("slow", "slow-2");
    const others = Array.from({ length: 11 }, (_, i) => `other-${i}`);
    for (const id of others) await putList(id, id);

    // Act
    poller.start();
    try {
      // Assess: the others' lists arrive while slow-1 is held (except any that share its lane), slow-2 after it
      await eventually(async () => (delivered.length >= 5 ? true : undefined), 20_000, "other users' lists");
      expect(delivered).not.toContain("slow-1");
      expect(delivered).not.toContain("slow-2");
      releaseSlow();
      await eventually(async () => (delivered.length === 13 ? true : undefined), 20_000, "every list");
      expect(delivered.indexOf("slow-1")).toBeLessThan(delivered.indexOf("slow-2"));
    } finally {
      releaseSlow();
      await poller.stop();
    }
  });
});
