import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { tableDefinition } from "#adapters/dynamo/tableDefinition.ts";

export interface TestTable {
  endpoint: string;
  doc: DynamoDBDocumentClient;
  tableName: string;
  drop(): Promise<void>;
}

/** A fresh table on the run's DynamoDB Local, created exactly as the local stack creates it. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject("dynamoEndpoint");
  const doc = createDocumentClient(endpoint);
  const tableName = `test-${randomUUID()}`;
  await doc.send(new CreateTableCommand(tableDefinition(tableName)));
  return {
    endpoint,
    doc,
    tableName,
    drop: async () => {
      await doc.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      doc.destroy();
    },
  };
}
