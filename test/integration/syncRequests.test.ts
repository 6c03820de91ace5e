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

describe("ListRepository.requestSync", () => {
  it("coalesces a request into one already queued, and queues again once that sync started", async () => {
    // Prepare
    const list = await newList();
    const first = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(0), forceFull: false },
      rules,
    );

    // Act
    const second = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(1), forceFull: false },
      rules,
    );
    await lists.markSyncStarted(list.userId, list.listId, at(2));
    const third = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(3), forceFull: false },
      rules,
    );

    // Assess
    expect(first).toEqual({ outcome: "queued" });
    expect(second).toEqual({ outcome: "coalesced", requestedAt: at(0), forceFull: false });
    expect(third).toEqual({ outcome: "queued" });
  });

  it("does not coalesce into a queued request older than the window (its message may be lost)", async () => {
    // Prepare
    const list = await newList();
    await lists.requestSync(list.userId, list.listId, { requestedAt: at(0), forceFull: false }, rules);

    // Act
    const later = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(20), forceFull: false },
      rules,
    );

    // Assess
    expect(later).toEqual({ outcome: "queued" });
  });

  it("honours force_full at most once per 10 minutes, and a normal request joins the queued full one", async () => {
    // Prepare
    const list = await newList();
    const full = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(0), forceFull: true },
      rules,
    );

    // Act
    const joined = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(1), forceFull: false },
      rules,
    );
    await lists.markSyncStarted(list.userId, list.listId, at(2));
    const tooSoon = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(5), forceFull: true },
      rules,
    );
    const laterFull = await lists.requestSync(
      list.userId,
      list.listId,
      { requestedAt: at(11), forceFull: true },
      rules,
    );

    // Assess
    expect(full).toEqual({ outcome: "queued" });
    expect(joined).toEqual({ outcome: "coalesced", requestedAt: at(0), forceFull: true });
    expect(tooSoon).toEqual({ outcome: "force_full_cooling", retryAfterSeconds: 300 });
    expect(laterFull).toEqual({ outcome: "queued" });
  });

  it("answers gone for a list that does not exist", async () => {
    expect(
      await lists.requestSync("sync-user", "no-such-list", { requestedAt: at(0), forceFull: false }, rules),
    ).toEqual({ outcome: "gone" });
  });
});
