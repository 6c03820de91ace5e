import { afterAll, beforeAll } from "vitest";
import { ItemRepository } from "#adapters/dynamo/ItemRepository.ts";
import { ListRepository } from "#adapters/dynamo/ListRepository.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { startTraktSandbox, type TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import type { TraktSandboxOptions } from "#infra/local/trakt-sandbox/types.ts";
import { TraktClient } from "#trakt/TraktClient.ts";
import { createTestTable, type TestTable } from "./dynamo.ts";

/** The real parts an integration test file works with: the Trakt sandbox and a table of its own. */
export interface SandboxAndTable {
  sandbox: TraktSandbox;
  table: TestTable;
  lists: ListRepository;
  items: ItemRepository;
  users: UserRepository;
  /** A Trakt client of the sandbox's app. */
  client: TraktClient;
}

/**
 * Starts a Trakt sandbox (on a free port) and a fresh table on the run's DynamoDB Local before the file's
 * tests, with the repositories and a client on them, and stops both after. The returned object is filled
 * in `beforeAll`: read its fields inside tests and hooks.
 */
export function useSandboxAndTable(options: TraktSandboxOptions = {}): SandboxAndTable {
  const parts = {} as SandboxAndTable;
  beforeAll(async () => {
    const sandbox = await startTraktSandbox({ port: 0, ...options });
    const table = await createTestTable();
    Object.assign(parts, {
      sandbox,
      table,
      lists: new ListRepository(table.doc, table.tableName),
      items: new ItemRepository(table.doc, table.itemsTableName),
      users: new UserRepository(table.doc, table.tableName),
      client: new TraktClient({
        apiUrl: sandbox.url,
        authUrl: sandbox.url,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
      }),
    });
  });
  afterAll(async () => {
    await parts.sandbox?.stop();
    await parts.table?.drop();
  });
  return parts;
}
