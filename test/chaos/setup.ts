/** Before the chaos: the catalog the users draw from, the local stack as the run configures it, users linked to Trakt. */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseCatalogFeed } from "#catalog/catalogFeed.ts";
import { compareCandidates } from "#domain/catalog.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import { type LocalStack, startLocalStack } from "#infra/local/runtime/localStack.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { type ChaosCatalog, sleep, type UserState, unknownIdFloor } from "./run.ts";
import type { ChaosSettings } from "./settings.ts";

export function loadCatalog(): ChaosCatalog {
  const catalog = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8"));
  return {
    bestFirst: [...catalog].sort(compareCandidates),
    known: catalog.filter((t) => t.tmdbId < unknownIdFloor),
    unknown: catalog.filter((t) => t.tmdbId >= unknownIdFloor),
  };
}

/** The local stack with isolated (killable) invocations, the run's latency, duplicates and retry tuning. */
export function startChaosStack(settings: ChaosSettings): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    ...(settings.dynamoEndpoint ? { dynamoEndpoint: settings.dynamoEndpoint } : {}),
    tableName: `chaos-${randomUUID()}`,
    isolateInvocations: true,
    sandbox: { latency: settings.latency },
    syncConcurrency: settings.syncConcurrency,
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
    maxReceiveCount: settings.maxReceiveCount,
    syncTimeoutSeconds: settings.syncTimeoutSeconds,
    chaos: {
      duplicateDeliveryProbability: settings.duplicateDeliveryProbability,
      duplicateSendProbability: settings.duplicateSendProbability,
      seed: settings.seed,
    },
    env: {
      POWERTOOLS_LOG_LEVEL: settings.logLevel,
      REPAIR_DELAY_SCALE: String(settings.repairDelayScale),
      TRAKT_MAX_ATTEMPTS: "4",
      TRAKT_RETRY_BASE_MS: "200",
      TRAKT_RETRY_MAX_MS: "2000",
      TRAKT_TIMEOUT_MS: "8000",
      // The scenario polls lists several times a second; the request limit is tested on its own.
      API_RATE_LIMIT_PER_MINUTE: "100000",
    },
    log: (line) => {
      if (settings.logLevel !== "ERROR") settings.log(`  [stack] ${line}`);
    },
  });
}

/** `count` users, each signed in and linked to its own Trakt account, in parallel. */
export function linkUsers(stack: LocalStack, count: number): Promise<UserState[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, u) => {
      const userId = `chaos-user-${u + 1}`;
      const state = {
        userId,
        slug: `${userId}-on-trakt`,
        api: new ApiClient(stack.apiUrl, await stack.token(userId)),
      };
      await linkTrakt(stack, state);
      return state;
    }),
  );
}

/** Trakt's device flow through our API, approved on the sandbox. */
export async function linkTrakt(stack: LocalStack, user: UserState): Promise<void> {
  const code = await user.api.post("/trakt/device-code");
  if (code.status !== 200) throw new Error(`device-code answered ${code.status}`);
  stack.sandbox!.approveDevice(code.body.userCode, user.slug);
  for (let tries = 0; tries < 20; tries++) {
    await sleep(code.body.interval * 1000 + 100);
    const linked = await user.api.post("/trakt/device-token");
    if (linked.status === 200) return;
    if (linked.status !== 202) throw new Error(`device-token answered ${linked.status}`);
  }
  throw new Error(`${user.userId} could not link Trakt`);
}
