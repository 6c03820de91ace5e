import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWrite } from "#adapters/dynamo/batchWrite.ts";
import { itemsTableDefinition } from "#adapters/dynamo/tableDefinition.ts";

/**
 * Warms a fresh DynamoDB Local before a timed run: `writers` writers each put `itemsEach` list-item-shaped records
 * into a scratch table (dropped afterwards), as the run's users will. A new DynamoDB Local is a cold JVM: its first
 * thousands of writes run interpreted code and compile it, which DynamoDB in AWS never does. Without this, the
 * first `POST /lists` of the 5 × 4 × 200 case was accepted about 0.2 s later and its first Trakt write 0.5 s later.
 * Returns how long it took (ms).
 */
export async function warmDynamoDbLocal(
  doc: DynamoDBDocumentClient,
  scratchTableName: string,
  { writers, itemsEach }: { writers: number; itemsEach: number },
): Promise<number> {
  const started = Date.now();
  await doc.send(new CreateTableCommand(itemsTableDefinition(scratchTableName)));
  await Promise.all(
    Array.from({ length: writers }, (_, writer) =>
      batchWrite(
        doc,
        scratchTableName,
        Array.from({ length: itemsEach }, (_, i) => ({
          PutRequest: {
            Item: { pk: `WARM#${writer}`, sk: `ITEM#${i}`, mediaType: "movie", tmdbId: i, rank: i },
          },
        })),
      ),
    ),
  );
  await doc.send(new DeleteTableCommand({ TableName: scratchTableName }));
  return Date.now() - started;
}
