import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { table } from "#config/resources.ts";

/** The table as the local stack and the integration tests create it; CDK defines the same in infra/. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, repairIndex } = table;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: "S" },
      { AttributeName: sortKey, AttributeType: "S" },
      { AttributeName: repairIndex.partitionKey, AttributeType: "S" },
      { AttributeName: repairIndex.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: "HASH" },
      { AttributeName: sortKey, KeyType: "RANGE" },
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
