import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateScan } from "@aws-sdk/lib-dynamodb";
import { batchWrite } from "#adapters/dynamo/batchWrite.ts";
import { entity, itemsMovedKey } from "#adapters/dynamo/keys.ts";

/**
 * `moveItemRecords` unless the main table says it was done (`itemsMovedKey`), and then says so: the scan of the whole
 * main table runs once per table, not at every start. `npm start` runs it on every table it starts on.
 */
export async function moveItemRecordsOnce(
  doc: DynamoDBDocumentClient,
  tableName: string,
  itemsTableName: string,
): Promise<number> {
  const done = await doc.send(
    new GetCommand({ TableName: tableName, Key: itemsMovedKey, ConsistentRead: true }),
  );
  if (done.Item) return 0;
  const moved = await moveItemRecords(doc, tableName, itemsTableName);
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...itemsMovedKey, movedAt: new Date().toISOString(), moved },
    }),
  );
  return moved;
}

/**
 * Moves list items that an older version kept in the main table into the items table: puts them there first,
 * then deletes them from the main table, so a stop half-way loses nothing and the next start finishes the move.
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
