import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { entity, listKey } from "#adapters/dynamo/keys.ts";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { manualList } from "#test/support/builders.ts";
import { useTestTable } from "#test/support/dynamo.ts";

const suite = useTestTable();
const lists = () => new ListRepository(suite.table.doc, suite.table.tableName);
const ref = { id: 7, slug: "mine", name: "Mine", privacy: "private" as const };

describe("the Trakt list creation lease on DynamoDB", () => {
  it("is a first claim only the first time it is ever taken, released or run out since", async () => {
    // Prepare
    const list = manualList("claims");
    await lists().create(list);

    // Act
    const first = await lists().claimTraktListCreation(list.userId, list.listId, 60_000);
    const whileHeld = await lists().claimTraktListCreation(list.userId, list.listId, 60_000);
    await lists().releaseTraktListCreation(list.userId, list.listId);
    const afterRelease = await lists().claimTraktListCreation(list.userId, list.listId, -1);
    const afterRunningOut = await lists().claimTraktListCreation(list.userId, list.listId, 60_000);

    // Assess
    expect([first, whileHeld, afterRelease, afterRunningOut]).toEqual([
      "first-claim",
      "busy",
      "claimed",
      "claimed",
    ]);
    expect(await lists().get(list.userId, list.listId)).not.toHaveProperty("createClaims");
  });

  it("is never a first claim for a list whose Trakt list was forgotten, or written before claims were counted", async () => {
    // Prepare
    const forgotten = manualList("claims");
    await lists().create(forgotten);
    await lists().storeTraktList(forgotten.userId, forgotten.listId, ref, { recreated: false });
    await lists().forgetTraktList(forgotten.userId, forgotten.listId, ref.id);
    const older = manualList("claims");
    await suite.table.doc.send(
      new PutCommand({
        TableName: suite.table.tableName,
        Item: { ...listKey(older.userId, older.listId), entity: entity.list, ...older },
      }),
    );

    // Act
    const claims = [
      await lists().claimTraktListCreation(forgotten.userId, forgotten.listId, 60_000),
      await lists().claimTraktListCreation(older.userId, older.listId, 60_000),
    ];

    // Assess
    expect(claims).toEqual(["claimed", "claimed"]);
  });
});
