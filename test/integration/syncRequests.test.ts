import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { manualList } from "#test/support/builders.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";

let table: TestTable;
let lists: ListRepository;
const rules = { coalesceWindowMs: 15 * 60_000, forceFullCooldownMs: 10 * 60_000 };
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString();

beforeAll(async () => {
  table = await createTestTable();
  lists = new ListRepository(table.doc, table.tableName);
});

afterAll(async () => {
  await table.drop();
});

async function newList() {
  const list = manualList("sync-user");
  await lists.create(list);
  return list;
}

/** A request at minute `at` (answered with `outcome`), or the start of the queued sync at minute `startedAt`. */
type Step = { at: number; forceFull?: boolean; outcome: unknown } | { startedAt: number };

const queued = { outcome: "queued" };

const cases: Record<string, Step[]> = {
  "coalesces a request into one already queued, and queues again once that sync started": [
    { at: 0, outcome: queued },
    { at: 1, outcome: { outcome: "coalesced", requestedAt: at(0), forceFull: false } },
    { startedAt: 2 },
    { at: 3, outcome: queued },
  ],
  "does not coalesce into a queued request older than the window (its message may be lost)": [
    { at: 0, outcome: queued },
    { at: 20, outcome: queued },
  ],
  "honours force_full at most once per 10 minutes, and a normal request joins the queued full one": [
    { at: 0, forceFull: true, outcome: queued },
    { at: 1, outcome: { outcome: "coalesced", requestedAt: at(0), forceFull: true } },
    { startedAt: 2 },
    { at: 5, forceFull: true, outcome: { outcome: "force_full_cooling", retryAfterSeconds: 300 } },
    { at: 11, forceFull: true, outcome: queued },
  ],
};

describe("ListRepository.requestSync", () => {
  it.each(Object.entries(cases))("%s", async (_name, steps) => {
    // Prepare
    const list = await newList();

    // Act
    const answers: unknown[] = [];
    for (const step of steps) {
      if ("startedAt" in step) {
        await lists.markSyncStarted(list.userId, list.listId, at(step.startedAt));
        continue;
      }
      const request = { requestedAt: at(step.at), forceFull: step.forceFull ?? false };
      answers.push(await lists.requestSync(list.userId, list.listId, request, rules));
    }

    // Assess
    expect(answers).toEqual(steps.flatMap((step) => ("outcome" in step ? [step.outcome] : [])));
  });

  it("answers gone for a list that does not exist", async () => {
    expect(
      await lists.requestSync("sync-user", "no-such-list", { requestedAt: at(0), forceFull: false }, rules),
    ).toEqual({ outcome: "gone" });
  });
});
