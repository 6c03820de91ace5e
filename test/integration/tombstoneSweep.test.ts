import { describe, expect, it } from "vitest";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import type { DueList } from "#sync/ports.ts";
import { manualList } from "#test/support/builders.ts";
import { useTestTable } from "#test/support/dynamo.ts";

const suite = useTestTable();
const lists = () => new ListRepository(suite.table.doc, suite.table.tableName);

async function allDue(): Promise<DueList[]> {
  const due: DueList[] = [];
  for (const shard of lists().repairShards) due.push(...(await lists().dueForRepair(shard, 100)).lists);
  return due;
}

describe("a deleted list's tombstone in the repair index", () => {
  it("is due for one sweep a little after the deletion, and leaves the index once settled", async () => {
    // Prepare: a list deleted an hour ago
    const anHourAgo = new ListRepository(
      suite.table.doc,
      suite.table.tableName,
      () => Date.now() - 3_600_000,
    );
    const list = manualList("sweeper");
    await anHourAgo.recordTombstone(list, new Date(Date.now() - 3_600_000).toISOString());

    // Act
    const dueBefore = await allDue();
    await lists().settleTombstone(list.userId, list.listId);
    const dueAfter = await allDue();

    // Assess
    expect(dueBefore).toContainEqual(
      expect.objectContaining({ userId: "sweeper", listId: list.listId, syncState: "deleted" }),
    );
    expect(dueAfter.filter((due) => due.listId === list.listId)).toEqual([]);
    expect((await lists().tombstones("sweeper")).has(list.listId)).toBe(true);
  });

  it("is not due right after the deletion, and stays due when its sweep is put off", async () => {
    // Prepare
    const list = manualList("sweeper");
    await lists().recordTombstone(list, new Date().toISOString());
    const dueRightAway = await allDue();

    // Act: the sweep could not reach Trakt; looked at again after a failure's delay (due later, still indexed)
    await lists().settleTombstone(list.userId, list.listId, "afterFailure");
    const inAnHour = new ListRepository(suite.table.doc, suite.table.tableName, () => Date.now() + 3_600_000);
    const dueInAnHour: DueList[] = [];
    for (const shard of inAnHour.repairShards)
      dueInAnHour.push(...(await inAnHour.dueForRepair(shard, 100)).lists);

    // Assess
    expect(dueRightAway.filter((due) => due.listId === list.listId)).toEqual([]);
    expect(dueInAnHour.filter((due) => due.listId === list.listId)).toHaveLength(1);
  });
});
