import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { table } from "#config/resources.ts";

/** The main table as the local stack and the integration tests create it; CDK defines the same in infra/. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const { repairIndex } = table;
  const keyed = itemsTableDefinition(tableName);
  return {
    ...keyed,
    AttributeDefinitions: [
      ...(keyed.AttributeDefinitions ?? []),
      { AttributeName: repairIndex.partitionKey, AttributeType: "S" },
      { AttributeName: repairIndex.sortKey, AttributeType: "S" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: repairIndex.name,
        KeySchema: [
          { AttributeName: repairIndex.partitionKey, KeyType: "HASH" },
          { AttributeName: repairIndex.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: [...repairIndex.projectedAttributes] },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}

/** The items table's name where the local stack and the tests choose it: the main table's, followed by `-items`. */
export const itemsTableNameFor = (tableName: string) => `${tableName}-items`;

/**
 * The list items' table: the main table's keys, no index and no stream. A list's items are written in bulk (200
 * at a list's creation, thousands by a catalog refresh); on the main table each of them would be a stream record
 * the list-created and list-deleted mappings read and drop.
 */
export function itemsTableDefinition(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey } = table;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: "S" },
      { AttributeName: sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: "HASH" },
      { AttributeName: sortKey, KeyType: "RANGE" },
    ],
  };
}
