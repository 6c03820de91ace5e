/**
 * `npm start`: the whole service on this machine. Ctrl-C stops everything.
 *
 * Environment: PORT (API, default 3000), BACKFILL_INTERVAL_SECONDS (default 60),
 * CATALOG_REFRESH_INTERVAL_SECONDS (default 3600), TRAKT_API_URL +
 * TRAKT_AUTH_URL + TRAKT_CLIENT_ID + TRAKT_CLIENT_SECRET for real Trakt (otherwise the sandbox
 * starts on TRAKT_SANDBOX_PORT, default 4010, with TRAKT_SANDBOX_LATENCY_MS, e.g. 150±100), TABLE_NAME, ITEMS_TABLE_NAME,
 * POWERTOOLS_LOG_LEVEL.
 *
 * Data (DynamoDB, queues, the sandbox, stream positions) is kept in .local/data/ across runs;
 * `npm start -- --fresh` (or `npm run reset`) starts clean. The web page is built first and
 * served at the API's address.
 */

import { envNames, numberEnv, traktUrls } from "#config/env.ts";
import { buildWeb, webDist } from "#web/build.ts";
import { defaultDataDir, resetLocalData } from "./runtime/localData.ts";
import { startLocalStack } from "./runtime/localStack.ts";
import { defaultStateFile } from "./runtime/stackState.ts";

if (process.argv.includes("--fresh")) {
  resetLocalData(defaultDataDir);
  console.log(`--fresh: removed ${defaultDataDir}`);
}
await buildWeb();

const realTrakt = process.env[envNames.traktApiUrl]
  ? {
      ...traktUrls(),
      clientId: process.env[envNames.traktClientId] ?? "",
      clientSecret: process.env[envNames.traktClientSecret] ?? "",
    }
  : undefined;
if (realTrakt && (!realTrakt.clientId || !realTrakt.clientSecret)) {
  console.warn(
    `${envNames.traktApiUrl} is set but ${envNames.traktClientId} or ${envNames.traktClientSecret} is not: Trakt will refuse calls without them.`,
  );
}
process.env.POWERTOOLS_LOG_LEVEL ??= "INFO";

console.log("Starting the local stack…");
const stack = await startLocalStack({
  port: numberEnv(envNames.port, 3000),
  ...(process.env[envNames.tableName] ? { tableName: process.env[envNames.tableName] } : {}),
  ...(process.env[envNames.itemsTableName] ? { itemsTableName: process.env[envNames.itemsTableName] } : {}),
  ...(realTrakt
    ? { trakt: realTrakt }
    : {
        sandbox: {
          port: numberEnv("TRAKT_SANDBOX_PORT", 4010),
          latency: process.env.TRAKT_SANDBOX_LATENCY_MS || undefined,
        },
      }),
  backfillIntervalSeconds: numberEnv(envNames.backfillIntervalSeconds, 60),
  catalogRefreshIntervalSeconds: numberEnv(envNames.catalogRefreshIntervalSeconds, 3600),
  stateFile: defaultStateFile,
  dataDir: defaultDataDir,
  webDir: webDist,
  log: (message) => console.log(message),
});

console.log(`
The service is running.
  Web page          ${stack.apiUrl}/   (sign in with any user name)
  API               ${stack.apiUrl}   (GET /health needs no token)
  Token for a user  npm run --silent token -- alice
  Trakt             ${stack.traktApiUrl}${stack.sandbox ? `   (sandbox: GET ${stack.traktApiUrl}/_sandbox/users/<slug>/lists)` : ""}
  DynamoDB Local    ${stack.dynamoEndpoint}   (table ${stack.tableName})
  SQS + S3 (fauxqs) ${stack.sqsEndpoint}   (catalog bucket ${stack.catalogBucket.bucket})
  Catalog           npm run catalog -- import <files…>; refresh every ${numberEnv(envNames.catalogRefreshIntervalSeconds, 3600)} s
  Backfill          every ${numberEnv(envNames.backfillIntervalSeconds, 60)} s
  Data              ${defaultDataDir}   (kept across restarts; npm start -- --fresh starts clean)
Press Ctrl-C to stop.
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await stack.stop();
  console.log("Stopped.");
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
