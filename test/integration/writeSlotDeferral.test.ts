import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import { pacerKey } from "#adapters/dynamo/keys.ts";
import { WriteDeferredError } from "#sync/traktErrors.ts";
import { useSandboxAndTable } from "#test/support/sandboxAndTable.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

const real = useSandboxAndTable();

/** The user's next free write slot as the pacer record holds it. */
async function nextSlotAt(key: string): Promise<number | undefined> {
  const { Item } = await real.table.doc.send(
    new GetCommand({ TableName: real.table.tableName, Key: pacerKey(key), ConsistentRead: true }),
  );
  return Item?.nextSlotAt;
}

/** A linked user whose next write slot is `holdOffMs` away, and a session that defers beyond 5 s. */
async function userWaiting(userId: string, holdOffMs: number) {
  await linkSandboxUser(real.sandbox, real.users, userId);
  const pacer = new DynamoWritePacer(real.table.doc, real.table.tableName, 1_100);
  await pacer.holdOff(`trakt:${userId}`, holdOffMs);
  const session = new TraktUserSession({
    client: real.client,
    auth: real.users,
    pacer,
    userId,
    maxSlotWaitMs: 5_000,
  });
  return { pacer, session };
}

describe("deferring a write whose slot is far away", () => {
  it("throws WriteDeferredError at once, booking nothing, when the next slot is beyond maxSlotWaitMs", async () => {
    // Prepare: another worker's 429 pushed the user's next slot 60 s ahead
    const { session } = await userWaiting("busy", 60_000);
    const before = await nextSlotAt("trakt:busy");

    // Act
    const started = Date.now();
    const error = await session
      .createList({ name: "x", description: "x", privacy: "private" })
      .catch((e) => e);

    // Assess
    expect(error).toBeInstanceOf(WriteDeferredError);
    expect((error as WriteDeferredError).delayMs).toBeGreaterThan(55_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await nextSlotAt("trakt:busy")).toBe(before);
    expect(real.sandbox.listsOf("busy")).toEqual([]);
  });

  it("waits as before when the slot is within maxSlotWaitMs", async () => {
    // Prepare
    const { session } = await userWaiting("calm", 1_000);

    // Act
    const list = await session.createList({ name: "x", description: "x", privacy: "private" });

    // Assess
    expect(list.ids.trakt).toBeGreaterThan(0);
  });
});
