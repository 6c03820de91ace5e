import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import type { DataKey, DataKeyProvider } from "./TokenCipher.ts";

/**
 * Data keys from a customer-managed KMS key: `GenerateDataKey` (AES_256) to encrypt, `Decrypt` to
 * unwrap, both with the encryption context naming the user, so CloudTrail shows whose tokens were
 * decrypted and a key policy or grant can be conditioned on it.
 */
export class KmsDataKeyProvider implements DataKeyProvider {
  private readonly kms: KMSClient;
  private readonly keyId: string;

  constructor(kms: KMSClient, keyId: string) {
    this.kms = kms;
    this.keyId = keyId;
  }

  async generate(context: Readonly<Record<string, string>>): Promise<DataKey> {
    const response = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: "AES_256",
        EncryptionContext: { ...context },
      }),
    );
    if (!response.Plaintext || !response.CiphertextBlob) throw new Error("KMS returned no data key");
    return { plaintext: response.Plaintext, wrapped: response.CiphertextBlob };
  }

  async unwrap(wrapped: Uint8Array, context: Readonly<Record<string, string>>): Promise<Uint8Array> {
    const response = await this.kms.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: wrapped, EncryptionContext: { ...context } }),
    );
    if (!response.Plaintext) throw new Error("KMS returned no plaintext");
    return response.Plaintext;
  }
}
