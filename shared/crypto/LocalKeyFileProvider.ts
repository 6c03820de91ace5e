import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { DataKey, DataKeyProvider } from "./TokenCipher.ts";

const ivBytes = 12;
const tagBytes = 16;

/**
 * The local stand-in for KMS: a 256-bit master key in a file (`.local/token-key`, created on first
 * use with mode 0600, git-ignored) wraps each data key with AES-256-GCM, the encryption context as
 * additional authenticated data, as KMS binds it.
 */
export class LocalKeyFileProvider implements DataKeyProvider {
  private readonly masterKey: Buffer;

  constructor(path: string) {
    this.masterKey = readOrCreateKey(path);
  }

  async generate(context: Readonly<Record<string, string>>): Promise<DataKey> {
    const plaintext = randomBytes(32);
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv("aes-256-gcm", this.masterKey, iv);
    cipher.setAAD(contextBytes(context));
    const wrapped = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { plaintext, wrapped };
  }

  async unwrap(wrapped: Uint8Array, context: Readonly<Record<string, string>>): Promise<Uint8Array> {
    const data = Buffer.from(wrapped);
    const decipher = createDecipheriv("aes-256-gcm", this.masterKey, data.subarray(0, ivBytes));
    decipher.setAAD(contextBytes(context));
    decipher.setAuthTag(data.subarray(data.length - tagBytes));
    return Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
  }
}

function readOrCreateKey(path: string): Buffer {
  try {
    const key = readFileSync(path);
    if (key.length !== 32) throw new Error(`${path} must hold exactly 32 bytes`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(path), { recursive: true });
    const key = randomBytes(32);
    try {
      writeFileSync(path, key, { mode: 0o600, flag: "wx" });
    } catch (raced) {
      // Another process created it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code === "EEXIST") return readOrCreateKey(path);
      throw raced;
    }
    return key;
  }
}

function contextBytes(context: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))), "utf8");
}
