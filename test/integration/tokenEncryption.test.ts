import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoWritePacer } from "#adapters/dynamo/DynamoWritePacer.ts";
import { userKey } from "#adapters/dynamo/keys.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { LocalKeyFileProvider } from "#crypto/LocalKeyFileProvider.ts";
import { EnvelopeTokenCipher } from "#crypto/TokenCipher.ts";
import { startTraktSandbox, type TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { createTestTable, type TestTable } from "#test/support/dynamo.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { TraktClient } from "#trakt/TraktClient.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

let sandbox: TraktSandbox;
let table: TestTable;
let users: UserRepository;
const keyFile = join(mkdtempSync(join(tmpdir(), "token-key-")), "token-key");

beforeAll(async () => {
  sandbox = await startTraktSandbox({ port: 0 });
  table = await createTestTable();
  users = new UserRepository(table.doc, table.tableName, {
    cipher: new EnvelopeTokenCipher(new LocalKeyFileProvider(keyFile)),
  });
});

afterAll(async () => {
  await sandbox.stop();
  await table.drop();
});

async function rawUserItem(userId: string) {
  const response = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: userKey(userId) }));
  return response.Item!;
}

describe("Trakt tokens at rest", () => {
  it("stores no token in plaintext, neither at link time nor after a refresh, and reads them back", async () => {
    // Prepare
    const grant = await linkSandboxUser(sandbox, users, "enc-user");

    // Act
    const linked = JSON.stringify(await rawUserItem("enc-user"));
    sandbox.expireTokens("enc-user");
    const session = new TraktUserSession({
      client: new TraktClient({
        apiUrl: sandbox.url,
        authUrl: sandbox.url,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
      }),
      auth: users,
      pacer: new DynamoWritePacer(table.doc, table.tableName, 0),
      userId: "enc-user",
    });
    await session.getLists();
    const refreshed = await users.load("enc-user");
    const afterRefresh = JSON.stringify(await rawUserItem("enc-user"));

    // Assess
    expect(linked).not.toContain(grant.access_token);
    expect(linked).not.toContain(grant.refresh_token);
    expect(refreshed?.accessToken).not.toBe(grant.access_token);
    expect(afterRefresh).not.toContain(refreshed!.accessToken);
    expect(afterRefresh).not.toContain(refreshed!.refreshToken);
    expect((await rawUserItem("enc-user")).accessToken).toMatch(/^tc1\./);
  });

  it("does not decrypt a token copied onto another user's record or into the other field", async () => {
    // Prepare
    await linkSandboxUser(sandbox, users, "victim");
    const stolen = await rawUserItem("victim");
    const cipher = new EnvelopeTokenCipher(new LocalKeyFileProvider(keyFile));

    // Act / Assess
    await expect(cipher.decryptField("victim", "accessToken", stolen.accessToken)).resolves.toBeTypeOf(
      "string",
    );
    await expect(cipher.decryptField("attacker", "accessToken", stolen.accessToken)).rejects.toThrow();
    await expect(cipher.decryptField("victim", "refreshToken", stolen.accessToken)).rejects.toThrow();
  });
});
