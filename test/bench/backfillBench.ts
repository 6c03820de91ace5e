/**
 * The backfill case of `npm run bench`: N lists of which a share needs repair, seeded straight into
 * DynamoDB Local; one backfill run; the read capacity it consumed. Run against several mixes, it
 * shows the cost follows the lists that need repair, not all lists (a table scan is printed for scale).
 */
import { randomUUID } from "node:crypto";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, PurgeQueueCommand } from "@aws-sdk/client-sqs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { startFauxqs } from "fauxqs";
import { batchWrite } from "#adapters/dynamo/batchWrite.ts";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { entity, listKey, repairShardOf } from "#adapters/dynamo/keys.ts";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { tableDefinition } from "#adapters/dynamo/tableDefinition.ts";
import { createSqsClient, SqsSyncQueue } from "#adapters/queue/SqsSyncQueue.ts";
import { startDynamoDbLocal } from "#infra/local/runtime/dynamoDbLocal.ts";
import { newListRecord } from "#lists/newList.ts";
import { runBackfill } from "#sync/backfill.ts";
import { capacityMeter } from "./capacityMeter.ts";

const cases = [
  { lists: 10_000, due: 100 },
  { lists: 2_000, due: 100 },
  { lists: 10_000, due: 500 },
];

export async function backfillBench(log: (line: string) => void): Promise<void> {
  log("Backfill: lists seeded in DynamoDB Local, one backfill run each (reads via the sparse repair index)");
  const dynamo = await startDynamoDbLocal();
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: "127.0.0.1" });
  const doc = createDocumentClient(dynamo.endpoint);
  const sqs = createSqsClient(fauxqs.address);
  try {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: "bench-sync.fifo", Attributes: { FifoQueue: "true" } }),
    );
    const rows: Record<string, string | number>[] = [];
    for (const setting of cases) {
      const tableName = `bench-backfill-${randomUUID()}`;
      await doc.send(new CreateTableCommand(tableDefinition(tableName)));
      await seedLists(doc, tableName, setting.lists, setting.due, log);
      const lists = new ListRepository(doc, tableName);
      await sqs.send(new PurgeQueueCommand({ QueueUrl }));

      capacityMeter.reset();
      const started = Date.now();
      const report = await runBackfill(
        {
          lists,
          queue: new SqsSyncQueue(sqs, QueueUrl!),
          sessionFor: () => Promise.reject(new Error("no drift checks are due in this benchmark")),
        },
        { maxLists: 1_000 },
      );
      const ms = Date.now() - started;
      const backfillRcu = capacityMeter.readCapacityUnits;
      const backfillWcu = capacityMeter.writeCapacityUnits;

      capacityMeter.reset();
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, Select: "COUNT" }),
        );
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      rows.push({
        lists: setting.lists,
        "need repair": setting.due,
        "repairs queued": report.repairsQueued,
        "index RCU": Number(report.consumedRcu.toFixed(1)),
        "all RCU": Number(backfillRcu.toFixed(1)),
        WCU: Number(backfillWcu.toFixed(1)),
        ms,
        "table scan RCU (for scale)": Number(capacityMeter.readCapacityUnits.toFixed(1)),
      });
    }
    console.table(rows);
    log("The backfill's reads follow the lists that need repair; a scan follows all lists.");
  } finally {
    doc.destroy();
    sqs.destroy();
    await fauxqs.stop();
    await dynamo.stop();
  }
}

/** `total` lists of synced state (next drift check in a day), of which `due` failed and are due now. */
async function seedLists(
  doc: ReturnType<typeof createDocumentClient>,
  tableName: string,
  total: number,
  due: number,
  log: (line: string) => void,
) {
  const now = Date.now();
  const records = Array.from({ length: total }, (_, i) => {
    const userId = `user-${i % 500}`;
    const list = newListRecord(userId, { title: `List ${i}`, listType: "manual" }, new Date(now - 3_600_000));
    const needsRepair = i % Math.floor(total / due) === 0 && i / Math.floor(total / due) < due;
    return {
      ...listKey(userId, list.listId),
      entity: entity.list,
      ...list,
      traktListId: 100_000 + i,
      syncState: needsRepair ? "failed" : "synced",
      localItemCount: 100,
      traktItemCount: 100,
      repairShard: repairShardOf(list.listId),
      repairDueAt: new Date(needsRepair ? now - 60_000 : now + 24 * 3_600_000).toISOString(),
    };
  });
  for (let start = 0; start < records.length; start += 1_000) {
    await batchWrite(
      doc,
      tableName,
      records.slice(start, start + 1_000).map((Item) => ({ PutRequest: { Item } })),
    );
    log(`  seeded ${Math.min(records.length, start + 1_000)}/${total} lists`);
  }
}
