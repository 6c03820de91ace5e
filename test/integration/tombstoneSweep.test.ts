import { describe, expect, it } from "vitest";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import type { DueList } from "#sync/ports.ts";
import { RepairSchedule } from "#sync/repairSchedule.ts";
import { manualList } from "#test/support/builders.ts";
import { useTestTable } from "#test/support/dynamo.ts";

const suite = useTestTable();
const lists = () => new ListRepository(suite.table.doc, suite.table.tableName);

async function allDue(at = Date.now()): Promise<DueList[]> {
  const seenAt = new ListRepository(suite.table.doc, suite.table.tableName, () => at);
  const due: DueList[] = [];
  for (const shard of seenAt.repairShards) due.push(...(await seenAt.dueForRepair(shard, 100)).lists);
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

  it("waits for the creation lease the deleted list still held, however short the repair delays", async () => {
    // Prepare: repair delays shrunk fifty times, as in the chaos run (a sweep 2.4 s after the deletion); a worker
    // took the list's creation lease (60 s) just before the deletion, and may still be creating its Trakt list
    const now = Date.now();
    const compressed = new ListRepository(
      suite.table.doc,
      suite.table.tableName,
      () => now,
      new RepairSchedule(0.02),
    );
    const leased = manualList("sweeper");
    const unleased = manualList("sweeper");

    // Act
    await compressed.recordTombstone(leased, new Date(now).toISOString(), now + 60_000);
    await compressed.recordTombstone(unleased, new Date(now).toISOString());

    // Assess: the list without a lease is swept after the shrunk delay, the leased one once its lease is over
    const ids = (due: DueList[]) => due.map((entry) => entry.listId);
    expect(ids(await allDue(now + 10_000))).toContain(unleased.listId);
    expect(ids(await allDue(now + 10_000))).not.toContain(leased.listId);
    expect(ids(await allDue(now + 60_001))).toContain(leased.listId);
  });
});
