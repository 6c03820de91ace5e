import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inBatches } from "#domain/batching.ts";

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** DynamoDB's most writes in one BatchWrite call. */
const maxBatchSize = 25;
/** BatchWrite calls in flight at once: a 200-item list is written in two round trips, not eight. */
const batchesInFlight = 4;

/** Writes any number of puts/deletes in BatchWrite calls of 25, a few at once, retrying unprocessed items with backoff. */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (const wave of inBatches(inBatches(requests, maxBatchSize), batchesInFlight))
    await Promise.all(wave.map((chunk) => writeChunk(doc, tableName, chunk)));
}

async function writeChunk(
  doc: DynamoDBDocumentClient,
  tableName: string,
  chunk: WriteRequest[],
): Promise<void> {
  let pending = chunk;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 8)
      throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${attempt} tries`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt)));
    const response = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (response.UnprocessedItems?.[tableName] as WriteRequest[] | undefined) ?? [];
  }
}
