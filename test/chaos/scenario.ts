/**
 * The chaos scenario, shared by `test/chaos/chaos.test.ts` (CI size) and `npm run chaos` (bigger,
 * from CHAOS_* variables): users link Trakt and create manual and custom lists while the Trakt
 * sandbox injects faults, workers are killed mid-invocation and deliveries are duplicated; the users
 * keep editing and delete lists. Then quiet time: faults off, the backfill runs as the schedule would,
 * and the invariants are checked against Trakt (the sandbox) and our API.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { parseCatalogFeed } from "#catalog/catalogFeed.ts";
import { type CatalogTitle, compareCandidates, selectCandidates } from "#domain/catalog.ts";
import type { CustomListFilters } from "#domain/filters.ts";
import { listIdFromDescription } from "#domain/list.ts";
import { seededRandom } from "#domain/seededRandom.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import type { ChaosCounts } from "#infra/local/runtime/chaos.ts";
import { type LocalStack, startLocalStack } from "#infra/local/runtime/localStack.ts";
import type { FaultKind, FaultRule } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { completeFilters } from "#lists/newList.ts";
import { syncRequestSchema } from "#sync/syncRequest.ts";
import { ApiClient } from "#test/support/apiClient.ts";

export interface ChaosSettings {
  users: number;
  listsPerUser: number;
  minItems: number;
  maxItems: number;
  /** Length of the chaos phase: faults, kills, duplicates and the users' edits. */
  chaosSeconds: number;
  /** Most time allowed, after quiet time starts, for everything to converge. */
  convergeSeconds: number;
  /** A random in-flight invocation is killed every this many ms (uniform in the range). */
  killEveryMs: [number, number];
  /** A user edit every this many ms (uniform in the range), across all users. */
  editEveryMs: [number, number];
  /** Multiplies the fault probabilities (0: no faults). */
  faultRate: number;
  /** Lifetime of access tokens issued during the run (Trakt's: 7 days). */
  tokenTtlSeconds: number;
  /** The sandbox's network latency, round trip (`150±100`): every answer, faults or not. */
  latency: string;
  duplicateDeliveryProbability: number;
  duplicateSendProbability: number;
  syncConcurrency: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a sync message goes to the DLQ (production: 5; lower, the DLQ → backfill path runs more). */
  maxReceiveCount: number;
  syncTimeoutSeconds: number;
  repairDelayScale: number;
  /** The backfill runs this often (the schedule, compressed). */
  backfillEveryMs: number;
  seed: number;
  dynamoEndpoint?: string;
  /** Handler log level (POWERTOOLS_LOG_LEVEL). */
  logLevel: string;
  log: (line: string) => void;
}

/** The CI size: must finish within ~3 minutes on a 2-core machine. */
export const ciSettings: Omit<ChaosSettings, "log"> = {
  users: 3,
  listsPerUser: 3,
  minItems: 40,
  maxItems: 120,
  chaosSeconds: 40,
  convergeSeconds: 100,
  killEveryMs: [1_500, 4_000],
  editEveryMs: [800, 2_000],
  faultRate: 1,
  tokenTtlSeconds: 3,
  latency: "100±80",
  duplicateDeliveryProbability: 0.3,
  duplicateSendProbability: 0.05,
  syncConcurrency: 4,
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 3,
  syncTimeoutSeconds: 25,
  repairDelayScale: 0.02,
  backfillEveryMs: 3_000,
  seed: 7,
  logLevel: "ERROR",
};

/** Settings from CHAOS_* variables over `base`. */
export function settingsFromEnv(
  base: Omit<ChaosSettings, "log">,
  env: NodeJS.ProcessEnv = process.env,
): Omit<ChaosSettings, "log"> {
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
    return value;
  };
  const items = number("CHAOS_ITEMS", base.maxItems);
  const killEvery = env.CHAOS_KILL_EVERY_MS?.split("-").map(Number);
  return {
    ...base,
    users: number("CHAOS_USERS", base.users),
    listsPerUser: number("CHAOS_LISTS", base.listsPerUser),
    minItems: Math.min(number("CHAOS_MIN_ITEMS", base.minItems), items),
    maxItems: items,
    chaosSeconds: number("CHAOS_SECONDS", base.chaosSeconds),
    convergeSeconds: number("CHAOS_CONVERGE_SECONDS", base.convergeSeconds),
    faultRate: number("CHAOS_FAULT_RATE", base.faultRate),
    tokenTtlSeconds: number("CHAOS_TOKEN_TTL_SECONDS", base.tokenTtlSeconds),
    latency: env.CHAOS_LATENCY_MS ?? base.latency,
    duplicateDeliveryProbability: base.duplicateDeliveryProbability * number("CHAOS_DUPLICATE_RATE", 1),
    duplicateSendProbability: base.duplicateSendProbability * number("CHAOS_DUPLICATE_RATE", 1),
    killEveryMs: killEvery?.every(Number.isFinite)
      ? [killEvery[0]!, killEvery[1] ?? killEvery[0]!]
      : base.killEveryMs,
    syncConcurrency: number("CHAOS_SYNC_CONCURRENCY", base.syncConcurrency),
    repairDelayScale: number("CHAOS_REPAIR_DELAY_SCALE", base.repairDelayScale),
    seed: number("CHAOS_SEED", base.seed),
    logLevel: env.CHAOS_LOG_LEVEL ?? base.logLevel,
  };
}

export interface ChaosReport {
  settings: Omit<ChaosSettings, "log">;
  /** Broken invariants; empty when the run is good. */
  violations: string[];
  lists: { created: number; deleted: number; remaining: number; manual: number; custom: number };
  items: { local: number; onTrakt: number; notFound: number };
  edits: Record<string, number>;
  /** Duplicate sync requests sent through the API (POST /lists/{id}/sync twice). */
  duplicateSyncRequests: number;
  faults: Partial<Record<FaultKind, number>>;
  chaos: ChaosCounts;
  /** 429s: injected header-less ones, and the rest (the sandbox's rate limits: our pacing, or the GET limit). */
  rateLimited: { total: number; injected: number; ourPacing: number; mostGetsOfOneUser: number };
  /** 401s answered (expired or revoked access tokens, each followed by a refresh). */
  unauthorized: number;
  minWriteGapMs: number | undefined;
  acceptedWrites: number;
  traktCalls: { total: number; gets: number; writes: number; baselineEstimate: number };
  backfillRuns: number;
  /** Dead letters, after one malformed message was sent to the sync queue. */
  dlq: { messages: number; listConverged: number; listDeleted: number; malformed: number };
  relinks: string[];
  /** Seconds from quiet time until every invariant held and the queue was empty (undefined when it never did). */
  convergeSeconds: number | undefined;
  /** Seconds from quiet time until every list was right (the malformed message may still wait for the DLQ). */
  listsConvergeSeconds: number | undefined;
  totalSeconds: number;
}

interface TrackedList {
  id: string;
  user: UserState;
  title: string;
  listType: "manual" | "custom";
  deleted: boolean;
  /** Manual lists: our model of the items, in rank order ("movie:123"). */
  items: string[];
  /** Items when created (the filters' limit for custom lists), for the fault-free estimate. */
  initialSize: number;
  /** Whether it mixes movies and shows (a reorder write after the adds). */
  mixed: boolean;
  /** Deleted right after it was created. */
  shortLived?: boolean;
  /** The user's changes, in order (for the fault-free estimate). */
  edits: { at: number; kind: string }[];
  /** Custom lists: the filters last set. */
  filters?: Partial<CustomListFilters>;
  itemLimit?: number;
}

interface UserState {
  userId: string;
  slug: string;
  api: ApiClient;
}

const unknownIdFloor = 90_000_000;
const key = (item: { mediaType: string; tmdbId?: number }) => `${item.mediaType}:${item.tmdbId}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const genres = ["drama", "comedy", "science-fiction", "thriller", "action", "horror", "documentary", "war"];

/** The faults Trakt (the sandbox) injects during the chaos phase; probabilities per request. */
export function chaosFaults(rate: number): FaultRule[] {
  const api = "/users/**";
  return [
    // 5xx before anything is applied, and 5xx after a write was applied (the client must not double it).
    { kind: "error_before_apply", status: 503, probability: 0.08 * rate, match: { pathPattern: api } },
    { kind: "error_after_apply", status: 502, probability: 0.08 * rate, match: { pathPattern: api } },
    // Cloudflare-style 429 without Retry-After.
    { kind: "headerless_429", probability: 0.06 * rate, match: { pathPattern: api } },
    // Slow answers: reads slowed before, anything slowed after being handled.
    { kind: "slow", delayMs: 1_500, probability: 0.1 * rate, match: { method: "GET", pathPattern: api } },
    { kind: "slow", delayMs: 1_200, afterApply: true, probability: 0.06 * rate, match: { pathPattern: api } },
    // Connections reset before and after the write was applied.
    { kind: "reset_connection", probability: 0.03 * rate, match: { pathPattern: api } },
    { kind: "reset_connection", afterApply: true, probability: 0.03 * rate, match: { pathPattern: api } },
    // Token refreshes that fail before anything happens.
    {
      kind: "error_before_apply",
      status: 503,
      probability: 0.08 * rate,
      match: { pathPattern: "/oauth/token" },
    },
  ];
}

export async function runChaos(settings: ChaosSettings): Promise<ChaosReport> {
  const { log } = settings;
  const started = Date.now();
  const random = seededRandom(settings.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const between = ([min, max]: [number, number]) => min + random() * (max - min);

  const catalog = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8"));
  const bestFirst = [...catalog].sort(compareCandidates);
  const known = catalog.filter((t) => t.tmdbId < unknownIdFloor);
  const unknown = catalog.filter((t) => t.tmdbId >= unknownIdFloor);

  const stack = await startLocalStack({
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
      if (settings.logLevel !== "ERROR") log(`  [stack] ${line}`);
    },
  });
  const sandbox = stack.sandbox!;
  const users = new UserRepository(createDocumentClient(stack.dynamoEndpoint), stack.tableName);
  const violations: string[] = [];
  const edits: Record<string, number> = {};
  const relinks: string[] = [];
  let duplicateSyncRequests = 0;
  let backfillRuns = 0;
  const lists: TrackedList[] = [];
  const expectOk = (what: string, response: { status: number; body: unknown }, ...ok: number[]) => {
    if (!ok.includes(response.status))
      violations.push(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return ok.includes(response.status);
  };

  try {
    // Tokens issued from now on live 3 s, so refreshes (single use, serialized) happen all the time.
    sandbox.setFaults({ rules: [], accessTokenTtlSeconds: settings.tokenTtlSeconds, seed: settings.seed });
    const userStates: UserState[] = await Promise.all(
      Array.from({ length: settings.users }, async (_, u) => {
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
    const callsBefore = totalCalls(sandbox.stats());
    log(
      `Chaos: ${settings.users} users × ${settings.listsPerUser} lists (${settings.minItems}–${settings.maxItems} items), ${settings.chaosSeconds} s of chaos`,
    );

    // ── Chaos phase ──────────────────────────────────────────────────────────────────────────────
    sandbox.setFaults({
      rules: chaosFaults(settings.faultRate),
      accessTokenTtlSeconds: settings.tokenTtlSeconds,
      seed: settings.seed,
    });
    // One message no sync can read: it must end in the DLQ without holding up any list.
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.sync,
        MessageBody: '{"userId":"chaos-user-1","listId":',
        MessageGroupId: "malformed",
        MessageDeduplicationId: randomUUID(),
      }),
    );
    const chaosStarted = Date.now();
    const chaosEnds = chaosStarted + settings.chaosSeconds * 1000;
    let chaosOn = true;
    const killer = (async () => {
      while (chaosOn && settings.killEveryMs[1] > 0) {
        await sleep(between(settings.killEveryMs));
        if (!chaosOn) break;
        const victim = stack.chaos.killRandomInvocation();
        if (victim && settings.logLevel !== "ERROR")
          log(
            `  ${new Date().toISOString()} killed ${victim.functionName} #${victim.slot} after ${Date.now() - victim.startedAt} ms`,
          );
      }
    })();
    let backfillOn = true;
    let lastBackfill: { examined: number } | undefined;
    const runBackfill = async () => {
      backfillRuns++;
      lastBackfill = (await stack.runBackfill()) as { examined: number };
    };
    const scheduler = (async () => {
      while (backfillOn) {
        await sleep(settings.backfillEveryMs);
        if (backfillOn) await runBackfill().catch((error) => log(`  backfill failed: ${String(error)}`));
      }
    })();

    const createList = async (user: UserState, index: number): Promise<TrackedList | undefined> => {
      const manual = index % 2 === 0;
      const size = Math.round(between([settings.minItems, settings.maxItems]));
      const title = `${manual ? "Picks" : "Best of"} ${user.userId} #${index + 1}`;
      if (manual) {
        const offset = Math.floor(random() * (known.length - size));
        const picks = known.slice(offset, offset + size - 2);
        // Two titles Trakt cannot match, somewhere in the list.
        for (let i = 0; i < 2; i++) picks.splice(Math.floor(random() * picks.length), 0, pick(unknown));
        const items = dedupe(picks).map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
        const response = await user.api.post("/lists", { title, listType: "manual", items });
        if (!expectOk(`POST /lists (${title})`, response, 201)) return undefined;
        return {
          id: response.body.id,
          user,
          title,
          listType: "manual",
          deleted: false,
          items: items.map(key),
          edits: [],
          initialSize: items.length,
          mixed: new Set(items.map((i) => i.mediaType)).size > 1,
        };
      }
      const filters = randomFilters();
      const response = await user.api.post("/lists", { title, listType: "custom", filters, itemLimit: size });
      if (!expectOk(`POST /lists (${title})`, response, 201)) return undefined;
      return {
        id: response.body.id,
        user,
        title,
        listType: "custom",
        deleted: false,
        items: [],
        edits: [],
        filters,
        itemLimit: size,
        initialSize: size,
        mixed: filters.mediaTypes === undefined,
      };
    };
    const randomFilters = (): Partial<CustomListFilters> => {
      const chosen = [pick(genres), pick(genres)];
      return random() < 0.5
        ? { genres: [...new Set(chosen)], minVotes: Math.floor(random() * 2_000) }
        : {
            genres: [chosen[0]!],
            yearFrom: 1960 + Math.floor(random() * 40),
            mediaTypes: [pick(["movie", "show"] as const)],
          };
    };

    // Lists are created during the chaos, users in parallel; one extra list per user is deleted at once.
    await Promise.all(
      userStates.map(async (user) => {
        for (let l = 0; l < settings.listsPerUser; l++) {
          const list = await createList(user, l);
          if (list) lists.push(list);
          await sleep(between([200, 1_500]));
        }
        const shortLived = await createList(user, settings.listsPerUser);
        if (shortLived) {
          lists.push(shortLived);
          await sleep(between([0, 800]));
          if (expectOk("DELETE short-lived list", await user.api.delete(`/lists/${shortLived.id}`), 204)) {
            shortLived.deleted = true;
            shortLived.shortLived = true;
            edits.deleteJustCreated = (edits.deleteJustCreated ?? 0) + 1;
          }
        }
      }),
    );

    const count = (name: string, list: TrackedList) => {
      edits[name] = (edits[name] ?? 0) + 1;
      list.edits.push({ at: Date.now(), kind: name });
    };
    const live = () => lists.filter((l) => !l.deleted);
    let deletedMidway = false;
    while (Date.now() < chaosEnds) {
      await sleep(between(settings.editEveryMs));
      const candidates = live();
      if (candidates.length === 0) break;
      if (!deletedMidway && Date.now() > chaosStarted + (chaosEnds - chaosStarted) / 2) {
        // One list deleted mid-chaos, whatever its sync is doing.
        deletedMidway = true;
        const victim = pick(candidates);
        if (expectOk("DELETE list", await victim.user.api.delete(`/lists/${victim.id}`), 204)) {
          victim.deleted = true;
          count("deleteList", victim);
        }
        continue;
      }
      const list = pick(candidates);
      const roll = random();
      if (list.listType === "manual" && roll < 0.35) {
        const onList = new Set(list.items);
        const fresh = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
          random() < 0.15 ? pick(unknown) : pick(known),
        ).filter((t) => !onList.has(key(t)));
        const items = dedupe(fresh).map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
        if (items.length === 0) continue;
        if (expectOk("POST items", await list.user.api.post(`/lists/${list.id}/items`, { items }), 200)) {
          list.items.push(...items.map(key));
          count("addItems", list);
        }
      } else if (list.listType === "manual" && roll < 0.65 && list.items.length > 1) {
        const victim = pick(list.items);
        const [mediaType, tmdbId] = victim.split(":");
        if (
          expectOk(
            "DELETE item",
            await list.user.api.delete(`/lists/${list.id}/items/${mediaType}/${tmdbId}`),
            204,
          )
        ) {
          list.items = list.items.filter((k) => k !== victim);
          count("removeItem", list);
        }
      } else if (list.listType === "custom" && roll < 0.5) {
        const filters = randomFilters();
        if (expectOk("PATCH filters", await list.user.api.patch(`/lists/${list.id}`, { filters }), 200)) {
          list.filters = filters;
          count("changeFilters", list);
        }
      } else if (roll < 0.8) {
        const title = `${list.title.split(" (")[0]} (v${Math.floor(random() * 1000)})`;
        if (expectOk("PATCH title", await list.user.api.patch(`/lists/${list.id}`, { title }), 200)) {
          list.title = title;
          count("rename", list);
        }
      } else {
        // The same sync asked for twice, back to back.
        const first = await list.user.api.post(`/lists/${list.id}/sync`);
        const second = await list.user.api.post(`/lists/${list.id}/sync`);
        if (expectOk("POST sync", first, 202) && expectOk("POST sync", second, 202)) {
          duplicateSyncRequests++;
          list.edits.push({ at: Date.now(), kind: "syncTwice" });
        }
      }
    }

    // ── Quiet time ───────────────────────────────────────────────────────────────────────────────
    chaosOn = false;
    await killer;
    stack.chaos.configure({ duplicateDeliveryProbability: 0, duplicateSendProbability: 0 });
    sandbox.clearFaults();
    backfillOn = false;
    await scheduler;
    const quietStarted = Date.now();
    log(`Quiet time after ${((quietStarted - started) / 1000).toFixed(0)} s; waiting for convergence…`);

    const check = () => checkInvariants(stack, lists, bestFirst);
    let convergedAt: number | undefined;
    let listsConvergedAt: number | undefined;
    let lastProblems: string[] = [];
    let lastProgress = 0;
    const deadline = quietStarted + settings.convergeSeconds * 1000;
    while (Date.now() < deadline) {
      // A worker killed in the few milliseconds between Trakt's answer to a refresh and storing the new
      // pair loses it (refresh tokens are single use): the user is asked to link Trakt again. Do as they would.
      for (const user of userStates) {
        const profile = await users.getProfile(user.userId);
        if (profile?.traktLinkState === "relink_required") {
          relinks.push(`${user.userId}: ${profile.relinkReason ?? "relink required"}`);
          // Only a crash can explain it: without a kill (or a timeout) so far it is a bug.
          const crashes = stack.chaos.counts();
          if (Object.values(crashes.kills).reduce((a, b) => a + b, 0) + crashes.timeouts === 0)
            violations.push(
              `${user.userId} lost its Trakt link with no invocation killed: ${profile.relinkReason}`,
            );
          log(`  ${user.userId} must link Trakt again (${profile.relinkReason}); relinking`);
          await linkTrakt(stack, user);
        }
      }
      await runBackfill();
      const problems = await check();
      const queued = await queueDepth(stack);
      if (problems.length === 0 && lastBackfill?.examined === 0) {
        listsConvergedAt ??= Date.now();
        if (queued === 0) {
          convergedAt = Date.now();
          break;
        }
      } else listsConvergedAt = undefined;
      lastProblems = [...problems, ...(queued > 0 ? [`${queued} sync messages still queued`] : [])];
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        log(
          `  ${((Date.now() - quietStarted) / 1000).toFixed(0)} s: ${problems.length} problems, ${queued} queued, backfill examined ${lastBackfill?.examined}; e.g. ${problems[0] ?? "-"}`,
        );
      }
      await sleep(settings.backfillEveryMs);
    }
    if (convergedAt === undefined) {
      violations.push(
        `not converged ${settings.convergeSeconds} s after quiet time started:`,
        ...lastProblems,
      );
    }

    // ── What the run did ─────────────────────────────────────────────────────────────────────────
    const dlq = await accountForDeadLetters(stack, lists);
    violations.push(...dlq.violations);
    const stats = sandbox.stats();
    const faults: Partial<Record<FaultKind, number>> = {};
    let rateLimited = 0;
    let gets = 0;
    let mostGetsOfOneUser = 0;
    let unauthorized = 0;
    for (const user of Object.values(stats)) {
      rateLimited += user.rateLimited;
      gets += user.requests.GET ?? 0;
      mostGetsOfOneUser = Math.max(mostGetsOfOneUser, user.requests.GET ?? 0);
      unauthorized += user.responses["401"] ?? 0;
      for (const [kind, n] of Object.entries(user.faults))
        faults[kind as FaultKind] = (faults[kind as FaultKind] ?? 0) + (n ?? 0);
    }
    let minWriteGapMs: number | undefined;
    let acceptedWrites = 0;
    for (const user of userStates) {
      const writes = sandbox
        .writeLog(user.slug)
        .map((w) => w.at)
        .sort((a, b) => a - b);
      acceptedWrites += writes.length;
      for (let i = 1; i < writes.length; i++) {
        const gap = writes[i]! - writes[i - 1]!;
        minWriteGapMs = Math.min(minWriteGapMs ?? gap, gap);
        if (gap < 1_000) violations.push(`${user.slug}: two accepted writes ${gap} ms apart`);
      }
    }
    const remaining = lists.filter((l) => !l.deleted);
    const itemsSummary = await countItems(remaining);
    const { log: _log, ...plainSettings } = settings;
    return {
      settings: plainSettings,
      violations,
      lists: {
        created: lists.length,
        deleted: lists.length - remaining.length,
        remaining: remaining.length,
        manual: remaining.filter((l) => l.listType === "manual").length,
        custom: remaining.filter((l) => l.listType === "custom").length,
      },
      items: itemsSummary,
      edits,
      duplicateSyncRequests,
      faults,
      chaos: stack.chaos.counts(),
      rateLimited: {
        total: rateLimited,
        injected: faults.headerless_429 ?? 0,
        ourPacing: rateLimited - (faults.headerless_429 ?? 0),
        mostGetsOfOneUser,
      },
      unauthorized,
      minWriteGapMs,
      acceptedWrites,
      traktCalls: {
        total: totalCalls(stats) - callsBefore,
        gets,
        writes: acceptedWrites,
        baselineEstimate: baselineCalls(lists),
      },
      backfillRuns,
      dlq: dlq.counts,
      relinks,
      convergeSeconds: convergedAt === undefined ? undefined : (convergedAt - quietStarted) / 1000,
      listsConvergeSeconds:
        listsConvergedAt === undefined ? undefined : (listsConvergedAt - quietStarted) / 1000,
      totalSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await stack.stop();
  }
}

/** Trakt's device flow through our API, approved on the sandbox. */
async function linkTrakt(stack: LocalStack, user: UserState): Promise<void> {
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

function dedupe(titles: CatalogTitle[]): CatalogTitle[] {
  return [...new Map(titles.map((t) => [key(t), t])).values()];
}

/**
 * Every invariant, against Trakt (the sandbox) and our API; the problems found (empty when all hold).
 * - exactly one Trakt list per remaining list (found by our marker), none for deleted lists;
 * - each Trakt list holds exactly the list's items minus those Trakt cannot match, in rank order;
 * - the list's items are what the user made them (manual) or what its filters select (custom);
 * - the list says `synced`, with the right counts, and reports the titles Trakt cannot match.
 */
export async function checkInvariants(
  stack: LocalStack,
  lists: readonly TrackedList[],
  bestFirst: readonly CatalogTitle[],
): Promise<string[]> {
  const problems: string[] = [];
  const sandbox = stack.sandbox!;
  const byUser = new Map<string, TrackedList[]>();
  for (const list of lists) byUser.set(list.user.slug, [...(byUser.get(list.user.slug) ?? []), list]);
  for (const [slug, own] of byUser) {
    const traktLists = sandbox.listsOf(slug);
    const unmarked = traktLists.filter((t) => listIdFromDescription(t.description) === undefined);
    if (unmarked.length > 0) problems.push(`${slug}: ${unmarked.length} Trakt lists without our marker`);
    const known = new Set(own.map((l) => l.id));
    for (const t of traktLists) {
      const listId = listIdFromDescription(t.description);
      if (listId !== undefined && !known.has(listId))
        problems.push(`${slug}: Trakt list ${t.ids.trakt} for unknown list ${listId}`);
    }
    for (const list of own) {
      const twins = traktLists.filter((t) => listIdFromDescription(t.description) === list.id);
      const where = `${slug} "${list.title}" (${list.id})`;
      if (list.deleted) {
        if (twins.length > 0) problems.push(`${where}: deleted, but ${twins.length} Trakt list(s) remain`);
        continue;
      }
      if (twins.length !== 1) {
        problems.push(`${where}: ${twins.length} Trakt lists`);
        continue;
      }
      const twin = twins[0]!;
      const got = await list.user.api.get(`/lists/${list.id}`);
      const itemsResponse = await list.user.api.get(`/lists/${list.id}/items`);
      if (got.status !== 200 || itemsResponse.status !== 200) {
        problems.push(`${where}: API answered ${got.status} / ${itemsResponse.status}`);
        continue;
      }
      const view = got.body;
      const items: { mediaType: string; tmdbId: number; notFoundOnTrakt: boolean }[] =
        itemsResponse.body.items;
      const localKeys = items.map(key);
      const expected =
        list.listType === "manual"
          ? list.items
          : (await selectCandidates(bestFirst, view.filters, view.itemLimit)).map(key);
      if (list.listType === "custom" && canonical(view.filters) !== canonical(completeFilters(list.filters)))
        problems.push(`${where}: filters ${JSON.stringify(view.filters)} are not the last ones set`);
      if (JSON.stringify(localKeys) !== JSON.stringify(expected))
        problems.push(
          `${where}: local items differ from what the user made (${localKeys.length} vs ${expected.length})`,
        );
      const wrongNotFound = items.filter((i) => i.notFoundOnTrakt !== i.tmdbId >= unknownIdFloor);
      if (wrongNotFound.length > 0)
        problems.push(`${where}: ${wrongNotFound.length} items with a wrong notFoundOnTrakt`);
      const wanted = items.filter((i) => !i.notFoundOnTrakt).map(key);
      const onTrakt = twin.items.map((i) => `${i.type}:${(i.movie ?? i.show)!.ids.tmdb}`);
      if (JSON.stringify(onTrakt) !== JSON.stringify(wanted)) {
        const missing = wanted.filter((k) => !onTrakt.includes(k)).length;
        const extra = onTrakt.filter((k) => !wanted.includes(k)).length;
        problems.push(
          `${where}: Trakt holds ${onTrakt.length} items, want ${wanted.length} (${missing} missing, ${extra} extra${missing + extra === 0 ? ", order differs" : ""})`,
        );
      }
      if (view.trakt.listId !== twin.ids.trakt)
        problems.push(`${where}: stored Trakt id ${view.trakt.listId}, Trakt has ${twin.ids.trakt}`);
      if (twin.name !== view.title)
        problems.push(`${where}: Trakt list named "${twin.name}", want "${view.title}"`);
      const sync = view.sync;
      const notFound = items.filter((i) => i.notFoundOnTrakt).length;
      if (sync.state !== "synced")
        problems.push(`${where}: state ${sync.state} (${sync.lastError?.message ?? "no error"})`);
      else if (
        sync.localItemCount !== items.length ||
        sync.traktItemCount !== wanted.length ||
        sync.notFoundCount !== notFound
      )
        problems.push(
          `${where}: counts local ${sync.localItemCount}/${items.length}, trakt ${sync.traktItemCount}/${wanted.length}, notFound ${sync.notFoundCount}/${notFound}`,
        );
    }
  }
  return problems;
}

function canonical(value: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
}

async function queueDepth(stack: LocalStack): Promise<number> {
  const { Attributes } = await stack.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queues.sync,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** Every dead letter must be explained: its list converged anyway (checked), was deleted, or it was malformed. */
async function accountForDeadLetters(stack: LocalStack, lists: readonly TrackedList[]) {
  const counts = { messages: 0, listConverged: 0, listDeleted: 0, malformed: 0 };
  const violations: string[] = [];
  for (;;) {
    const { Messages } = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.queues.syncDlq,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
        WaitTimeSeconds: 0,
      }),
    );
    if (!Messages || Messages.length === 0) break;
    for (const message of Messages) {
      counts.messages++;
      let request: ReturnType<typeof syncRequestSchema.parse>;
      try {
        request = syncRequestSchema.parse(JSON.parse(message.Body ?? ""));
      } catch {
        counts.malformed++;
        continue;
      }
      const list = lists.find((l) => l.id === request.listId);
      if (!list) {
        violations.push(`dead letter for a list the run never made: ${message.Body}`);
      } else if (list.deleted) {
        counts.listDeleted++;
      } else {
        // Converged lists were checked with every invariant before; this one must be among them.
        const view = await list.user.api.get(`/lists/${list.id}`);
        if (view.body?.sync?.state === "synced") counts.listConverged++;
        else violations.push(`dead letter for list ${list.id}, which is ${view.body?.sync?.state}`);
      }
    }
  }
  return { counts, violations };
}

async function countItems(lists: readonly TrackedList[]) {
  const totals = { local: 0, onTrakt: 0, notFound: 0 };
  for (const list of lists) {
    const response = await list.user.api.get(`/lists/${list.id}/items`);
    const items: { notFoundOnTrakt: boolean }[] = response.body?.items ?? [];
    totals.local += items.length;
    totals.notFound += items.filter((i) => i.notFoundOnTrakt).length;
    totals.onTrakt += items.filter((i) => !i.notFoundOnTrakt).length;
  }
  return totals;
}

function totalCalls(stats: ReturnType<NonNullable<LocalStack["sandbox"]>["stats"]>): number {
  let total = 0;
  for (const user of Object.values(stats)) for (const n of Object.values(user.requests)) total += n;
  return total;
}

/**
 * What the same work costs with no faults, kills or duplicates (an estimate). Per list created: a
 * look for our marker and the create, a read, the adds (≤ 100 per write), a reorder when it mixes
 * movies and shows (Trakt adds movies first), a confirming read. Edits of one list less than 2 s apart
 * share a sync: a read, the writes (adding, removing or renaming: one each; new filters: remove, add,
 * reorder), a confirming read; a sync asked for twice costs one read. A deletion costs one delete; a
 * list deleted right after its creation: look, create, delete. Refreshes of 3-second tokens count as
 * fault overhead.
 */
function baselineCalls(lists: readonly TrackedList[]): number {
  const writes: Record<string, number> = { addItems: 1, removeItem: 1, rename: 1, changeFilters: 3 };
  let calls = 0;
  for (const list of lists) {
    if (list.shortLived) {
      calls += 3;
      continue;
    }
    calls += 2 + 1 + Math.ceil(list.initialSize / 100) + (list.mixed ? 1 : 0) + 1;
    let lastAt = Number.NEGATIVE_INFINITY;
    for (const edit of list.edits) {
      if (edit.kind === "deleteList") calls += 1;
      else if (edit.kind === "syncTwice") calls += edit.at - lastAt > 2_000 ? 1 : 0;
      else calls += (edit.at - lastAt > 2_000 ? 2 : 0) + (writes[edit.kind] ?? 1);
      lastAt = edit.at;
    }
  }
  return calls;
}

export function formatReport(report: ChaosReport): string[] {
  const r = report;
  const extra = r.traktCalls.total - r.traktCalls.baselineEstimate;
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const fmt = (counts: Record<string, number | undefined>) =>
    Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "none";
  return [
    "",
    "Chaos run",
    `  lists          ${r.lists.created} created (${r.lists.deleted} deleted), ${r.lists.remaining} remaining: ${r.lists.manual} manual, ${r.lists.custom} custom`,
    `  items          ${r.items.local} local, ${r.items.onTrakt} on Trakt, ${r.items.notFound} not found on Trakt`,
    `  user edits     ${fmt(r.edits)}; duplicate sync requests ${r.duplicateSyncRequests}`,
    `  faults         ${fmt(r.faults)} (total ${sum(r.faults as Record<string, number>)}); access tokens lived ${r.settings.tokenTtlSeconds} s; network latency ${r.settings.latency} ms`,
    `  kills          ${fmt(r.chaos.kills)}; timeouts ${r.chaos.timeouts}; worker crashes ${r.chaos.crashes}; workers started ${r.chaos.workersStarted}`,
    `  duplicates     deliveries ${fmt(r.chaos.duplicateDeliveries)}; sync messages sent twice ${r.chaos.duplicateSends}`,
    `  429s           ${r.rateLimited.total}: ${r.rateLimited.injected} injected (header-less), ${r.rateLimited.ourPacing} from the sandbox's rate limiter (${r.rateLimited.mostGetsOfOneUser <= 500 ? "writes: our pacing; no user came near the GET limit" : "our write pacing or the GET limit"})`,
    `  401s           ${r.unauthorized} (expired or revoked access tokens, each refreshed)`,
    `  writes         ${r.acceptedWrites} accepted; closest two of one user ${r.minWriteGapMs ?? "-"} ms apart`,
    `  Trakt calls    ${r.traktCalls.total} (${r.traktCalls.gets} GETs) vs ~${r.traktCalls.baselineEstimate} fault-free estimate: ${extra >= 0 ? "+" : ""}${extra} (${((extra / Math.max(1, r.traktCalls.baselineEstimate)) * 100).toFixed(0)}%) caused by the chaos`,
    `  dead letters   ${r.dlq.messages}: ${r.dlq.listConverged} of lists that converged anyway, ${r.dlq.listDeleted} of deleted lists, ${r.dlq.malformed} malformed (1 sent)`,
    `  relinks        ${r.relinks.length === 0 ? "none" : r.relinks.join("; ")}`,
    `  backfill runs  ${r.backfillRuns}`,
    `  converged      ${r.convergeSeconds === undefined ? "NO" : `${r.convergeSeconds.toFixed(1)} s after quiet time started`} (every list right after ${r.listsConvergeSeconds?.toFixed(1) ?? "-"} s; the rest: the queue draining, the malformed message reaching the DLQ); whole run ${r.totalSeconds.toFixed(0)} s`,
    `  invariants     ${r.violations.length === 0 ? "all held" : `${r.violations.length} broken:`}`,
    ...r.violations.map((v) => `    - ${v}`),
  ];
}
