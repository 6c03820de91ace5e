import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ItemRepository } from "#adapters/dynamo/ItemRepository.ts";
import { listKey } from "#adapters/dynamo/keys.ts";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { tableDefinition } from "#adapters/dynamo/tableDefinition.ts";
import { moveItemRecords } from "#infra/local/runtime/moveItemRecords.ts";
import { manualList, movieItems } from "#test/support/builders.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";
import { startTestStack } from "#test/support/localStackTest.ts";

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.drop();
});

/** A list and its items as a version before the items table kept them: all in the main table. */
async function seedOldLayout(tableName: string, userId: string, itemCount: number) {
  const list = manualList(userId);
  await new ListRepository(table.doc, tableName).create(list);
  const items = movieItems(itemCount);
  await new ItemRepository(table.doc, tableName).putItems(list.listId, items);
  return { list, items };
}

describe("moving list items out of the main table", () => {
  it("moves every item record into the items table, leaves the lists, and finds nothing more the second time", async () => {
    // Prepare
    const { list, items } = await seedOldLayout(table.tableName, "mover", 130);

    // Act
    const moved = await moveItemRecords(table.doc, table.tableName, table.itemsTableName);
    const movedAgain = await moveItemRecords(table.doc, table.tableName, table.itemsTableName);

    // Assess
    expect(moved).toBe(130);
    expect(movedAgain).toBe(0);
    expect(await new ItemRepository(table.doc, table.itemsTableName).getItems(list.listId)).toEqual(items);
    expect(await new ItemRepository(table.doc, table.tableName).getItems(list.listId)).toEqual([]);
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: listKey("mover", list.listId) }),
    );
    expect(Item?.title).toBe(list.title);
  });

  it("is done by the local stack when it starts on a main table from an earlier run", async () => {
    // Prepare: the main table as an older version left it, without an items table.
    const tableName = `earlier-${randomUUID()}`;
    await table.doc.send(new CreateTableCommand(tableDefinition(tableName)));
    const { list, items } = await seedOldLayout(tableName, "returning", 12);

    // Act
    const stack = await startTestStack("earlier", { tableName });
    await stack.stop();

    // Assess
    expect(stack.itemsTableName).toBe(`${tableName}-items`);
    expect(await new ItemRepository(table.doc, stack.itemsTableName).getItems(list.listId)).toEqual(items);
    expect(await new ItemRepository(table.doc, tableName).getItems(list.listId)).toEqual([]);
    for (const TableName of [tableName, stack.itemsTableName])
      await table.doc.send(new DeleteTableCommand({ TableName }));
  });
});
