import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Encrypts secrets (Trakt tokens) field by field before they reach the table. Each field is a
 * self-contained envelope `tc1.<wrapped data key>.<iv>.<ciphertext+tag>` (base64url): the data key
 * is wrapped by a `DataKeyProvider` (KMS in AWS, a key file locally) under an encryption context
 * naming the user, and the field is AES-256-GCM with the user id and field name as additional
 * authenticated data, so a ciphertext moved to another user or field does not decrypt.
 */
export interface TokenCipher {
  /**
   * A fresh data key for `userId`, ready to seal fields without another call to the key provider
   * (take it before a single-use refresh token is spent, so a KMS hiccup cannot lose the new pair).
   */
  sealerFor(userId: string): Promise<FieldSealer>;
  decryptField(userId: string, field: string, envelope: string): Promise<string>;
}

export type FieldSealer = <K extends string>(fields: Readonly<Record<K, string>>) => Record<K, string>;

export interface DataKey {
  plaintext: Uint8Array;
  /** The data key wrapped by the master key; safe to store. */
  wrapped: Uint8Array;
}

/** The master key's side of envelope encryption. */
export interface DataKeyProvider {
  generate(context: Readonly<Record<string, string>>): Promise<DataKey>;
  unwrap(wrapped: Uint8Array, context: Readonly<Record<string, string>>): Promise<Uint8Array>;
}

const version = "tc1";
const ivBytes = 12;
const tagBytes = 16;
/** Unwrapped data keys kept in memory, so both tokens of one record cost one unwrap. */
const cacheSize = 64;

export function isEnvelope(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(`${version}.`);
}

export class EnvelopeTokenCipher implements TokenCipher {
  private readonly keys: DataKeyProvider;
  private readonly unwrapped = new Map<string, Promise<Uint8Array>>();

  constructor(keys: DataKeyProvider) {
    this.keys = keys;
  }

  async sealerFor(userId: string): Promise<FieldSealer> {
    const key = await this.keys.generate(contextFor(userId));
    return <K extends string>(fields: Readonly<Record<K, string>>) => {
      const sealed = {} as Record<K, string>;
      for (const name of Object.keys(fields) as K[]) sealed[name] = seal(key, userId, name, fields[name]);
      return sealed;
    };
  }

  async decryptField(userId: string, field: string, envelope: string): Promise<string> {
    const parts = envelope.split(".");
    if (parts.length !== 4 || parts[0] !== version) throw new Error(`${field} is not an encrypted value`);
    const [, wrapped, iv, sealed] = parts as [string, string, string, string];
    const key = await this.unwrap(userId, wrapped);
    const data = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(aad(userId, field));
    decipher.setAuthTag(data.subarray(data.length - tagBytes));
    return Buffer.concat([
      decipher.update(data.subarray(0, data.length - tagBytes)),
      decipher.final(),
    ]).toString("utf8");
  }

  private unwrap(userId: string, wrapped: string): Promise<Uint8Array> {
    const cacheKey = `${userId}\u0000${wrapped}`;
    let key = this.unwrapped.get(cacheKey);
    if (!key) {
      key = this.keys.unwrap(Buffer.from(wrapped, "base64url"), contextFor(userId));
      key.catch(() => this.unwrapped.delete(cacheKey));
      if (this.unwrapped.size >= cacheSize) this.unwrapped.delete(this.unwrapped.keys().next().value!);
      this.unwrapped.set(cacheKey, key);
    }
    return key;
  }
}

function seal(key: DataKey, userId: string, field: string, plaintext: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key.plaintext, iv);
  cipher.setAAD(aad(userId, field));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [
    version,
    Buffer.from(key.wrapped).toString("base64url"),
    iv.toString("base64url"),
    data.toString("base64url"),
  ].join(".");
}

function contextFor(userId: string): Record<string, string> {
  return { service: "trakt-list-sync", userId };
}

function aad(userId: string, field: string): Buffer {
  return Buffer.from(JSON.stringify([userId, field]), "utf8");
}
