import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { startTraktSandbox, type TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { WriteDeferredError } from "#sync/traktErrors.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { TraktClient } from "#trakt/TraktClient.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

let sandbox: TraktSandbox;
let table: TestTable;
let users: UserRepository;
let client: TraktClient;

beforeAll(async () => {
  sandbox = await startTraktSandbox({ port: 0 });
  table = await createTestTable();
  users = new UserRepository(table.doc, table.tableName);
  client = new TraktClient({
    apiUrl: sandbox.url,
    authUrl: sandbox.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
});

afterAll(async () => {
  await sandbox.stop();
  await table.drop();
});

describe("deferring a write whose slot is far away", () => {
  it("throws WriteDeferredError at once, booking nothing, when the next slot is beyond maxSlotWaitMs", async () => {
    // Prepare: another worker's 429 pushed the user's next slot 60 s ahead
    await linkSandboxUser(sandbox, users, "busy");
    const pacer = new DynamoWritePacer(table.doc, table.tableName, 1_100);
    await pacer.holdOff("trakt:busy", 60_000);
    const session = new TraktUserSession({
      client,
      auth: users,
      pacer,
      userId: "busy",
      maxSlotWaitMs: 5_000,
    });
    const before = await pacer.waitFor("trakt:busy");

    // Act
    const started = Date.now();
    const error = await session
      .createList({ name: "x", description: "x", privacy: "private" })
      .catch((e) => e);

    // Assess
    expect(error).toBeInstanceOf(WriteDeferredError);
    expect((error as WriteDeferredError).delayMs).toBeGreaterThan(55_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await pacer.waitFor("trakt:busy")).toBeLessThanOrEqual(before);
    expect(sandbox.listsOf("busy")).toEqual([]);
  });

  it("waits as before when the slot is within maxSlotWaitMs", async () => {
    // Prepare
    await linkSandboxUser(sandbox, users, "calm");
    const pacer = new DynamoWritePacer(table.doc, table.tableName, 1_100);
    await pacer.holdOff("trakt:calm", 1_000);
    const session = new TraktUserSession({
      client,
      auth: users,
      pacer,
      userId: "calm",
      maxSlotWaitMs: 5_000,
    });

    // Act
    const list = await session.createList({ name: "x", description: "x", privacy: "private" });

    // Assess
    expect(list.ids.trakt).toBeGreaterThan(0);
  });
});
