import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, inject } from "vitest";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import {
  itemsTableDefinition,
  itemsTableNameFor,
  tableDefinition,
} from "#adapters/dynamo/tableDefinition.ts";

export interface TestTable {
  endpoint: string;
  doc: DynamoDBDocumentClient;
  tableName: string;
  itemsTableName: string;
  drop(): Promise<void>;
}

/** Fresh tables (the main one and the items table) on the run's DynamoDB Local, created exactly as the local stack creates them. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject("dynamoEndpoint");
  const doc = createDocumentClient(endpoint);
  const tableName = `test-${randomUUID()}`;
  const itemsTableName = itemsTableNameFor(tableName);
  await doc.send(new CreateTableCommand(tableDefinition(tableName)));
  await doc.send(new CreateTableCommand(itemsTableDefinition(itemsTableName)));
  return {
    endpoint,
    doc,
    tableName,
    itemsTableName,
    drop: async () => {
      for (const TableName of [tableName, itemsTableName])
        await doc.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
      doc.destroy();
    },
  };
}

/** Fresh tables for the calling suite: made before its tests, dropped after them (`suite.table` inside tests). */
export function useTestTable(): { readonly table: TestTable } {
  const suite = {} as { table: TestTable };
  beforeAll(async () => {
    suite.table = await createTestTable();
  });
  afterAll(async () => {
    await suite.table.drop();
  });
  return suite;
}
