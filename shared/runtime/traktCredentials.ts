import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { envNames } from "#config/env.ts";
import { traced } from "#observability/observability.ts";

interface TraktCredentials {
  clientId: string;
  clientSecret: string;
}

let cached: Promise<TraktCredentials> | undefined;

/**
 * Trakt client credentials: TRAKT_CLIENT_ID/TRAKT_CLIENT_SECRET when set (local stack), otherwise
 * the JSON secret `{clientId, clientSecret}` named by TRAKT_CREDENTIALS_SECRET_ARN (AWS), read once
 * per container.
 */
export function traktCredentials(): Promise<TraktCredentials> {
  cached ??= load().catch((error) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function load(): Promise<TraktCredentials> {
  const clientId = process.env[envNames.traktClientId];
  const clientSecret = process.env[envNames.traktClientSecret];
  if (clientId && clientSecret) return { clientId, clientSecret };
  const secretArn = process.env[envNames.traktCredentialsSecretArn];
  if (!secretArn) {
    throw new Error(
      `Trakt credentials missing: set ${envNames.traktClientId} and ${envNames.traktClientSecret}, or ${envNames.traktCredentialsSecretArn}`,
    );
  }
  const response = await traced(new SecretsManagerClient({})).send(
    new GetSecretValueCommand({ SecretId: secretArn }),
  );
  const parsed = JSON.parse(response.SecretString ?? "{}") as Partial<TraktCredentials>;
  if (!parsed.clientSecret) throw new Error("The Trakt credentials secret has no clientSecret yet");
  return { clientId: parsed.clientId ?? clientId ?? "", clientSecret: parsed.clientSecret };
}
