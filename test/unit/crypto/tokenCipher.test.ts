import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalKeyFileProvider } from "#crypto/LocalKeyFileProvider.ts";
import { EnvelopeTokenCipher } from "#crypto/TokenCipher.ts";
import { tokenCipherFromEnv } from "#crypto/tokenCipherFromEnv.ts";

const freshKeyFile = () => join(mkdtempSync(join(tmpdir(), "cipher-")), "sub", "token-key");

describe("EnvelopeTokenCipher with the local key file", () => {
  it("creates the key file (0600) on first use and round-trips each field", async () => {
    // Prepare
    const path = freshKeyFile();
    const cipher = new EnvelopeTokenCipher(new LocalKeyFileProvider(path));

    // Act
    const sealed = (await cipher.sealerFor("u1"))({ accessToken: "secret-a", refreshToken: "secret-r" });

    // Assess
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(sealed.accessToken).not.toContain("secret-a");
    expect(await cipher.decryptField("u1", "accessToken", sealed.accessToken)).toBe("secret-a");
    expect(await cipher.decryptField("u1", "refreshToken", sealed.refreshToken)).toBe("secret-r");
  });

  it("does not decrypt with another key file", async () => {
    // Prepare
    const sealed = (await new EnvelopeTokenCipher(new LocalKeyFileProvider(freshKeyFile())).sealerFor("u1"))({
      accessToken: "secret-a",
    });

    // Act / Assess
    const other = new EnvelopeTokenCipher(new LocalKeyFileProvider(freshKeyFile()));
    await expect(other.decryptField("u1", "accessToken", sealed.accessToken)).rejects.toThrow();
  });

  it("refuses to run in Lambda without a KMS key", () => {
    expect(() => tokenCipherFromEnv({ AWS_LAMBDA_FUNCTION_NAME: "sync" })).toThrow(/TOKEN_KMS_KEY_ID/);
  });
});
