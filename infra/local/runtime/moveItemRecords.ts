import { type DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import { batchWrite } from "#adapters/dynamo/batchWrite.ts";
import { entity } from "#adapters/dynamo/keys.ts";

/**
 * Moves list items that an older version kept in the main table into the items table: puts them there first,
 * then deletes them from the main table, so a stop half-way loses nothing and the next start finishes the move.
 * `npm start` runs it on a main table it finds from an earlier run; a table made since holds no items.
 */
export async function moveItemRecords(
  doc: DynamoDBDocumentClient,
  tableName: string,
  itemsTableName: string,
): Promise<number> {
  let moved = 0;
  const pages = paginateScan(
    { client: doc },
    {
      TableName: tableName,
      FilterExpression: "#entity = :item",
      ExpressionAttributeNames: { "#entity": "entity" },
      ExpressionAttributeValues: { ":item": entity.item },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    const records = page.Items ?? [];
    if (records.length === 0) continue;
    await batchWrite(
      doc,
      itemsTableName,
      records.map((record) => ({ PutRequest: { Item: record } })),
    );
    await batchWrite(
      doc,
      tableName,
      records.map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } })),
    );
    moved += records.length;
  }
  return moved;
}
