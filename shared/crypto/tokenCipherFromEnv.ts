import { resolve } from "node:path";
import { KMSClient } from "@aws-sdk/client-kms";
import { envNames } from "#config/env.ts";
import { traced } from "#observability/observability.ts";
import { KmsDataKeyProvider } from "./KmsDataKeyProvider.ts";
import { LocalKeyFileProvider } from "./LocalKeyFileProvider.ts";
import { EnvelopeTokenCipher, type TokenCipher } from "./TokenCipher.ts";

let cipher: TokenCipher | undefined;

/**
 * The token cipher for this process: KMS data keys under TOKEN_KMS_KEY_ID (set by CDK), otherwise
 * the key file TOKEN_KEY_FILE (default `.local/token-key`). A Lambda without a KMS key refuses to
 * start rather than encrypt with a throw-away file key.
 */
export function tokenCipherFromEnv(env: NodeJS.ProcessEnv = process.env): TokenCipher {
  cipher ??= build(env);
  return cipher;
}

function build(env: NodeJS.ProcessEnv): TokenCipher {
  const keyId = env[envNames.tokenKmsKeyId];
  if (keyId) return new EnvelopeTokenCipher(new KmsDataKeyProvider(traced(new KMSClient({})), keyId));
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error(`${envNames.tokenKmsKeyId} is required in AWS: Trakt tokens are encrypted with KMS`);
  }
  const path = env[envNames.tokenKeyFile] || resolve(process.cwd(), ".local/token-key");
  return new EnvelopeTokenCipher(new LocalKeyFileProvider(path));
}
