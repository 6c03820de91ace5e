import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { runBackfill } from "#sync/backfill.ts";
import type { SyncRequest } from "#sync/ports.ts";
import { manualList } from "#test/support/builders.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";

let table: TestTable;
let lists: ListRepository;

beforeAll(async () => {
  table = await createTestTable();
  lists = new ListRepository(table.doc, table.tableName);
});

afterAll(async () => {
  await table.drop();
});

describe("backfill fairness", () => {
  it("one user's many due lists cannot take a whole run", async () => {
    // Prepare: 40 lists of one user created an hour ago and due since, 3 of each of two others
    const anHourAgo = new ListRepository(table.doc, table.tableName, () => Date.now() - 3_600_000);
    for (let i = 0; i < 40; i++) await anHourAgo.create(manualList("flood"));
    for (const user of ["ann", "bob"]) for (let i = 0; i < 3; i++) await anHourAgo.create(manualList(user));
    const queued: SyncRequest[] = [];

    // Act
    const report = await runBackfill(
      {
        lists,
        queue: { enqueue: async (request) => void queued.push(request) },
        sessionFor: () => Promise.reject(new Error("no drift checks here")),
      },
      { maxLists: 14, maxListsPerUser: 5 },
    );

    // Assess
    const perUser = (userId: string) => queued.filter((request) => request.userId === userId).length;
    expect(perUser("ann")).toBe(3);
    expect(perUser("bob")).toBe(3);
    expect(perUser("flood")).toBe(5);
    expect(report.deferredForFairness).toBe(35);
  });
});
