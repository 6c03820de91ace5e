/**
 * The sync case of `npm run bench`: syncs N lists of M items for U users through the whole local stack and the
 * Trakt sandbox (with Trakt's real one write per second per user), once per network latency, and prints the
 * figures side by side.
 *
 *   BENCH_USERS (5)  BENCH_LISTS (4 per user)  BENCH_ITEMS (200 per list)
 *   BENCH_LATENCY_MS (`0,150±100,400±300`): the sandbox's round-trip latency of each run, comma-separated
 *   BENCH_TIMELINE=1: also prints each user's writes as they reached Trakt
 *   BENCH_RUNS (1): runs per latency; the table shows the median run (by convergence time) and every run's time
 *
 * Then Lambda GB-seconds per 1,000 items synced, side by side: syncs that sleep in the pacer until their write
 * slot ("before": TRAKT_MAX_SLOT_WAIT_MS never reached) against syncs that defer their message when the slot is
 * more than 5 s away ("after", the default), for that case and for one user creating BENCH_FLOOD_LISTS (50)
 * lists of BENCH_FLOOD_ITEMS (100) at once. BENCH_GB_SECONDS=0 skips this part.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { parseCatalogFeed } from "#catalog/catalogFeed.ts";
import { functionMemoryMb, syncMaxConcurrency } from "#config/resources.ts";
import type { CatalogTitle } from "#domain/catalog.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import { startDynamoDbLocal } from "#infra/local/runtime/dynamoDbLocal.ts";
import { startLocalStack } from "#infra/local/runtime/localStack.ts";
import { formatLatency, type Latency, parseLatency } from "#infra/local/trakt-sandbox/latency.ts";
import { getServices } from "#runtime/services.ts";
import { ApiClient } from "#test/support/apiClient.ts";
import { linkSandboxUser } from "#test/support/traktUser.ts";
import { capacityMeter, capacityMeterUrl } from "./capacityMeter.ts";
import { warmDynamoDbLocal } from "./warmDynamoDbLocal.ts";

const users = Number(process.env.BENCH_USERS ?? 5);
const listsPerUser = Number(process.env.BENCH_LISTS ?? 4);
const itemsPerList = Number(process.env.BENCH_ITEMS ?? 200);
const floodLists = Number(process.env.BENCH_FLOOD_LISTS ?? 50);
const floodItems = Number(process.env.BENCH_FLOOD_ITEMS ?? 100);
/** A TRAKT_MAX_SLOT_WAIT_MS no wait reaches: syncs sleep until their slot, as before deferral. */
const neverDefer = 1e9;
const deferAfterMs = 5_000;
const latencies = (process.env.BENCH_LATENCY_MS ?? "0,150±100,400±300").split(",").map((text) => {
  const latency = parseLatency(text);
  if (!latency) throw new Error(`BENCH_LATENCY_MS: "${text}" is not like 150±100 or 150`);
  return latency;
});
const runsPerLatency = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const batchSize = 100;
const writeIntervalMs = 1_000;
/**
 * The API's invocations run in this many worker threads (`apiWorkers`), off the event loop where the syncs wait for
 * their write slots: in AWS every function has its own CPU. One: with two (this machine has two cores) or five
 * (one per user), the workers took the cores from DynamoDB Local and the syncs, and runs converged later.
 */
const apiWorkers = Number(process.env.BENCH_API_WORKERS ?? 1);

interface BenchCase {
  users: number;
  listsPerUser: number;
  itemsPerList: number;
  latency: Latency;
  /** TRAKT_MAX_SLOT_WAIT_MS for the run. */
  maxSlotWaitMs: number;
}

interface RunFigures {
  latency: Latency;
  /** Items synced in the run. */
  items: number;
  seconds: number;
  lowerBound: number;
  writeAttempts: number;
  acceptedWrites: number;
  minimumWrites: number;
  rateLimited: number;
  gets: number;
  addWrites: number;
  /** Seconds from the start until the API accepted the first list, and the last one. */
  acceptedSeconds: { first: number; last: number };
  /** Seconds from the start until the first write reached Trakt (API, stream, list-created). */
  firstWriteSeconds: number;
  /** Mean gap between two consecutive accepted writes of one user, ms. */
  meanGapMs: number;
  minGapMs: number;
  gbSeconds: number;
  /** Pacer slots booked, sends held back until a gap after the previous send, and writes deferred (slot over 5 s away). */
  pacer: { booked: number; heldBack: number; deferred: number };
  invocations: string;
  rcu: number;
  wcu: number;
  dynamoCalls: number;
  /** With BENCH_RUNS > 1: every run of this latency (the figures above are the median run's). */
  allRuns?: { seconds: number; rateLimited: number; writeAttempts: number }[];
}

const isMixed = (list: { expected: string[] }) =>
  list.expected.some((k) => k.startsWith("movie")) && list.expected.some((k) => k.startsWith("show"));

export async function syncBench(log: (line: string) => void): Promise<void> {
  log(
    `Benchmark: ${users} users × ${listsPerUser} lists × ${itemsPerList} items (Trakt: 1 write / ${writeIntervalMs} ms / user), latency ${latencies.map(formatLatency).join(", ")}`,
  );
  const titles = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8")).filter(
    (t) => t.tmdbId < 90_000_000,
  );
  if (titles.length < itemsPerList) throw new Error(`The catalog has only ${titles.length} matchable titles`);
  const main = { users, listsPerUser, itemsPerList, maxSlotWaitMs: deferAfterMs };
  const runs: RunFigures[] = [];
  for (const latency of latencies) {
    log(`\n— ${formatLatency(latency)} —`);
    const repeated: RunFigures[] = [];
    for (let run = 0; run < runsPerLatency; run++)
      repeated.push(await runCase({ ...main, latency }, titles, log));
    runs.push(medianRun(repeated));
  }
  printTable(runs, log);
  if (process.env.BENCH_GB_SECONDS === "0") return;
  log(
    "\nLambda GB-seconds: the same cases with syncs sleeping until their write slot (before deferral), 0 ms",
  );
  const noLatency = runs.find((r) => r.latency.baseMs === 0 && r.latency.jitterMs === 0);
  const flood = {
    users: 1,
    listsPerUser: floodLists,
    itemsPerList: floodItems,
    latency: { baseMs: 0, jitterMs: 0 },
  };
  const rows = [
    [
      `${users}×${listsPerUser}×${itemsPerList}`,
      await runCase({ ...main, latency: flood.latency, maxSlotWaitMs: neverDefer }, titles, log),
      noLatency ?? (await runCase({ ...main, latency: flood.latency }, titles, log)),
    ],
    [
      `1 user, ${floodLists} lists × ${floodItems} at once`,
      await runCase({ ...flood, maxSlotWaitMs: neverDefer }, titles, log),
      await runCase({ ...flood, maxSlotWaitMs: deferAfterMs }, titles, log),
    ],
  ] as const;
  log("");
  log(
    "Lambda GB-seconds per 1,000 items synced     sleeping  deferring   (converged in s: sleeping / deferring)",
  );
  for (const [name, before, after] of rows)
    log(
      `  ${name.padEnd(40)} ${perThousandItems(before).toFixed(2).padStart(8)} ${perThousandItems(after).toFixed(2).padStart(9)}   (${before.seconds.toFixed(1)} / ${after.seconds.toFixed(1)})`,
    );
}

/** The run of median convergence time, knowing every run's time and 429s (a quiet 2-core machine varies by ±2 s). */
function medianRun(repeated: RunFigures[]): RunFigures {
  const bySeconds = [...repeated].sort((a, b) => a.seconds - b.seconds);
  const median = bySeconds[Math.floor((bySeconds.length - 1) / 2)]!;
  return {
    ...median,
    allRuns: repeated.map((r) => ({
      seconds: r.seconds,
      rateLimited: r.rateLimited,
      writeAttempts: r.writeAttempts,
    })),
  };
}

const perThousandItems = (run: RunFigures) => (run.gbSeconds / run.items) * 1000;

/** One run on a fresh DynamoDB Local, so no run inherits another's tables, streams or load. */
async function runCase(
  benchCase: BenchCase,
  titles: CatalogTitle[],
  log: (line: string) => void,
): Promise<RunFigures> {
  const { users, listsPerUser, itemsPerList, latency, maxSlotWaitMs } = benchCase;
  log(
    `  ${users} users × ${listsPerUser} lists × ${itemsPerList} items, ${formatLatency(latency)}, TRAKT_MAX_SLOT_WAIT_MS ${maxSlotWaitMs >= neverDefer ? "never reached" : maxSlotWaitMs}`,
  );
  const dynamo = await startDynamoDbLocal();
  try {
    const run = await runOnce(benchCase, titles, dynamo.endpoint, log);
    log(
      `  converged in ${run.seconds.toFixed(1)} s (ratio ${(run.seconds / run.lowerBound).toFixed(2)}; ${((run.seconds - run.acceptedSeconds.first) / run.lowerBound).toFixed(2)} after the first list was accepted), ${run.rateLimited} 429s, ${run.pacer.deferred} writes deferred, ${run.acceptedWrites} writes, ${run.gets} GETs, ${run.gbSeconds.toFixed(1)} GB-s; ${run.invocations}`,
    );
    return run;
  } finally {
    await dynamo.stop();
  }
}

async function runOnce(
  { users, listsPerUser, itemsPerList, latency, maxSlotWaitMs }: BenchCase,
  titles: CatalogTitle[],
  dynamoEndpoint: string,
  log: (line: string) => void,
): Promise<RunFigures> {
  const stack = await startLocalStack({
    port: 0,
    dynamoEndpoint,
    tableName: `bench-${randomUUID()}`,
    sandbox: { writeIntervalMs, latency },
    syncConcurrency: Math.min(syncMaxConcurrency, users * listsPerUser),
    apiWorkers,
    workerPreload: [capacityMeterUrl],
    env: {
      POWERTOOLS_LOG_LEVEL: "ERROR",
      API_RATE_LIMIT_PER_MINUTE: "100000",
      MAX_LISTS_PER_USER: String(Math.max(100, listsPerUser)),
      TRAKT_MAX_SLOT_WAIT_MS: String(maxSlotWaitMs),
    },
  });
  const sandbox = stack.sandbox!;
  const doc = createDocumentClient(stack.dynamoEndpoint);
  try {
    const userRepository = new UserRepository(doc, stack.tableName);
    const clients: { slug: string; api: ApiClient }[] = [];
    for (let u = 0; u < users; u++) {
      const slug = `bench-user-${u + 1}`;
      await linkSandboxUser(sandbox, userRepository, slug);
      clients.push({ slug, api: new ApiClient(stack.apiUrl, await stack.token(slug)) });
    }

    await Promise.all(clients.map(({ api }) => api.get("/lists")));
    const warmMs = await warmDynamoDbLocal(doc, `${stack.tableName}-warm-up`, {
      writers: users,
      itemsEach: listsPerUser * itemsPerList,
    });
    await warmApiWorkers(stack, titles.slice(0, itemsPerList));
    log(
      `  DynamoDB Local and the API warmed in ${(warmMs / 1000).toFixed(1)} s + ${warmApiSettleMs / 1000} s (not timed)`,
    );
    capacityMeter.reset();
    stack.invocations.clear();
    const pacerBefore = { ...getServices().pacer.counts };
    const started = Date.now();
    const created: {
      api: ApiClient;
      slug: string;
      name: string;
      id: string;
      expected: string[];
      acceptedAt: number;
    }[] = [];
    await Promise.all(
      clients.map(async ({ api, slug }, u) => {
        for (let l = 0; l < listsPerUser; l++) {
          const offset = ((u * listsPerUser + l) * 37) % (titles.length - itemsPerList);
          const picks = titles.slice(offset, offset + itemsPerList);
          const items = picks.map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
          const name = `Bench ${u + 1}.${l + 1}`;
          const response = await api.post("/lists", { title: name, listType: "manual", items });
          if (response.status !== 201)
            throw new Error(`POST /lists answered ${response.status}: ${JSON.stringify(response.body)}`);
          created.push({
            api,
            slug,
            name,
            id: response.body.id,
            expected: items.map((i) => `${i.mediaType}:${i.tmdbId}`),
            acceptedAt: Date.now(),
          });
        }
      }),
    );

    // Converged when Trakt (the sandbox, read in-process) holds every list exactly, in rank order. Nothing edits
    // the lists, so a list once exact stays so: only the others are looked at again (one snapshot per user).
    const exactIds = new Set<string>();
    const checkExact = () => {
      for (const slug of new Set(created.filter((l) => !exactIds.has(l.id)).map((l) => l.slug))) {
        const snapshot = sandbox.listsOf(slug);
        for (const list of created.filter((l) => l.slug === slug && !exactIds.has(l.id))) {
          const items = snapshot
            .find((l) => l.name === list.name)
            ?.items.map((i) => `${i.type}:${(i.movie ?? i.show)?.ids.tmdb}`);
          if (JSON.stringify(items) === JSON.stringify(list.expected)) exactIds.add(list.id);
        }
      }
      return exactIds.size;
    };
    let exact = 0;
    let lastPrint = 0;
    let writesSeen = -1;
    let lastCheck = 0;
    const deadline = started + 15 * 60_000;
    while (exact < created.length) {
      if (Date.now() > deadline) throw new Error("Lists did not converge within 15 minutes");
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Only an accepted write changes a list: the snapshots (every item as JSON) are taken after one (and each
      // half-second anyway), so the watching does not load the process whose pacing it measures.
      const accepted = Object.values(sandbox.stats()).reduce((total, s) => total + s.acceptedWrites, 0);
      if (accepted === writesSeen && Date.now() - lastCheck < 500) continue;
      writesSeen = accepted;
      lastCheck = Date.now();
      exact = checkExact();
      if (Date.now() - lastPrint > 3_000) {
        lastPrint = Date.now();
        log(
          `  ${((Date.now() - started) / 1000).toFixed(1)} s: ${exact}/${created.length} lists exact on Trakt, ${sandbox.writeLog().length} Trakt writes`,
        );
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const pacerAfter = getServices().pacer.counts;
    const pacer = {
      booked: pacerAfter.booked - pacerBefore.booked,
      heldBack: pacerAfter.heldBack - pacerBefore.heldBack,
      deferred: pacerAfter.deferred - pacerBefore.deferred,
    };

    // Every list must also say so: synced, with Trakt's count.
    for (const { api, id } of created) {
      for (let tries = 0; ; tries++) {
        const sync = (await api.get(`/lists/${id}`)).body.sync;
        if (sync.state === "synced" && sync.traktItemCount === itemsPerList) break;
        if (tries > 200)
          throw new Error(`List ${id} is ${sync.state} with ${sync.traktItemCount} items on Trakt`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    for (const { slug } of clients) {
      if (sandbox.listsOf(slug).length !== listsPerUser)
        throw new Error(`${slug} has the wrong number of Trakt lists`);
    }

    const stats = Object.values(sandbox.stats());
    const sum = (pick: (s: (typeof stats)[number]) => number) =>
      stats.reduce((total, s) => total + pick(s), 0);
    const writes = sandbox.writeLog();
    if (process.env.BENCH_TIMELINE === "1") logTimeline(clients, created, writes, started, log);
    const gaps = clients.flatMap(({ slug }) => {
      const at = writes
        .filter((w) => w.user === slug)
        .map((w) => w.at)
        .sort((a, b) => a - b);
      return at.slice(1).map((t, i) => t - at[i]!);
    });
    // Trakt adds the movies of one POST before its shows, so a list mixing both needs one reorder write.
    const addsPerList = Math.ceil(itemsPerList / batchSize);
    const busiestUserWrites = Math.max(
      ...clients.map(({ slug }) => {
        const own = created.filter((l) => l.slug === slug);
        return own.length * (1 + addsPerList) + own.filter(isMixed).length;
      }),
    );
    const rateLimited = sum((s) => s.rateLimited);
    return {
      latency,
      items: users * listsPerUser * itemsPerList,
      seconds,
      lowerBound: ((busiestUserWrites - 1) * writeIntervalMs) / 1000,
      writeAttempts: writes.length + rateLimited,
      acceptedWrites: writes.length,
      minimumWrites: created.length * (1 + addsPerList) + created.filter(isMixed).length,
      rateLimited,
      gets: sum((s) => s.requests.GET ?? 0),
      addWrites: writes.filter((w) => w.method === "POST" && w.path.endsWith("/items")).length,
      acceptedSeconds: {
        first: (Math.min(...created.map((l) => l.acceptedAt)) - started) / 1000,
        last: (Math.max(...created.map((l) => l.acceptedAt)) - started) / 1000,
      },
      firstWriteSeconds: (Math.min(...writes.map((w) => w.at)) - started) / 1000,
      meanGapMs: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length),
      minGapMs: Math.min(...gaps),
      gbSeconds: stack.invocations.gbSeconds(functionMemoryMb),
      pacer,
      invocations: [...stack.invocations.counts]
        .map(
          ([name, n]) =>
            `${name} ${n} (${stack.invocations.gbSecondsOf(name, functionMemoryMb).toFixed(1)} GB-s)`,
        )
        .join(", "),
      rcu: capacityMeter.readCapacityUnits,
      wcu: capacityMeter.writeCapacityUnits,
      dynamoCalls: capacityMeter.calls,
    };
  } finally {
    doc.destroy();
    await stack.stop();
  }
}

/** How long the warm-up's lists take to pass the stream (list-created records that their user is not linked). */
const warmApiSettleMs = 1_500;

/**
 * Each API worker imports the handler on its first request, as a cold Lambda container does, and compiles its
 * `POST /lists` path (200 items validated, looked up, marshalled and written) on its first few: the first POST of a
 * run took 330 ms with nothing else running, 240 ms of it the items' writes, which take 100–145 ms from another
 * client. In this process every function was warm from the start, so the workers are warmed too before timing: three
 * lists of a scratch user with no Trakt link (its lists fail at once, "not linked", and write nothing to Trakt).
 */
async function warmApiWorkers(stack: Awaited<ReturnType<typeof startLocalStack>>, titles: CatalogTitle[]) {
  const scratch = new ApiClient(stack.apiUrl, await stack.token("bench-warm-up"));
  const items = titles.map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
  // One stream of POSTs per worker, side by side, so each worker takes its share.
  await Promise.all(
    Array.from({ length: apiWorkers }, async (_, worker) => {
      for (let l = 0; l < 3; l++) {
        const title = `Warm-up ${worker + 1}.${l + 1}`;
        const response = await scratch.post("/lists", { title, listType: "manual", items });
        if (response.status !== 201) throw new Error(`Warm-up POST /lists answered ${response.status}`);
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, warmApiSettleMs));
}

function printTable(runs: RunFigures[], log: (line: string) => void): void {
  const rows: [string, (r: RunFigures) => string][] = [
    ["converged in (s)", (r) => r.seconds.toFixed(1)],
    ...(runsPerLatency > 1
      ? ([
          [
            `converged in, each of ${runsPerLatency} runs (s)`,
            (r) => (r.allRuns ?? []).map((run) => run.seconds.toFixed(1)).join(" / "),
          ],
          [
            "429s drawn in all runs (of write attempts)",
            (r) => {
              const all = r.allRuns ?? [];
              const drawn = all.reduce((total, run) => total + run.rateLimited, 0);
              const attempts = all.reduce((total, run) => total + run.writeAttempts, 0);
              return `${drawn} (${((100 * drawn) / Math.max(1, attempts)).toFixed(1)}%)`;
            },
          ],
        ] as [string, (r: RunFigures) => string][])
      : []),
    ["lower bound (s)", (r) => r.lowerBound.toFixed(1)],
    ["ratio to the lower bound", (r) => (r.seconds / r.lowerBound).toFixed(2)],
    [
      "converged after the first list was accepted (s, ratio)",
      (r) => {
        const seconds = r.seconds - r.acceptedSeconds.first;
        return `${seconds.toFixed(1)} (${(seconds / r.lowerBound).toFixed(2)})`;
      },
    ],
    [
      "429s drawn (of write attempts)",
      (r) => `${r.rateLimited} (${((100 * r.rateLimited) / Math.max(1, r.writeAttempts)).toFixed(1)}%)`,
    ],
    ["accepted writes (minimum)", (r) => `${r.acceptedWrites} (${r.minimumWrites})`],
    ["items per add write", (r) => (r.items / Math.max(1, r.addWrites)).toFixed(1)],
    ["GETs", (r) => String(r.gets)],
    [
      "API accepted the first / last list at (s)",
      (r) => `${r.acceptedSeconds.first.toFixed(1)} / ${r.acceptedSeconds.last.toFixed(1)}`,
    ],
    ["first write reached Trakt at (s)", (r) => r.firstWriteSeconds.toFixed(1)],
    ["mean / least gap between a user's writes (ms)", (r) => `${r.meanGapMs.toFixed(0)} / ${r.minGapMs}`],
    [
      "pacer slots booked / sends held back / writes deferred",
      (r) => `${r.pacer.booked} / ${r.pacer.heldBack} / ${r.pacer.deferred}`,
    ],
    ["Lambda GB-seconds", (r) => r.gbSeconds.toFixed(1)],
    ["DynamoDB RCU / WCU", (r) => `${r.rcu.toFixed(0)} / ${r.wcu.toFixed(0)}`],
  ];
  const header = ["latency (round trip)", ...runs.map((r) => formatLatency(r.latency))];
  const table = [header, ...rows.map(([label, cell]) => [label, ...runs.map(cell)])];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  log("");
  log(
    `Sync: ${users} users × ${listsPerUser} lists × ${itemsPerList} items, ${runsPerLatency > 1 ? `${runsPerLatency} runs per latency, the median run shown` : "one run per latency"}`,
  );
  for (const [index, row] of table.entries()) {
    log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
    if (index === 0) log(widths.map((w) => "─".repeat(w)).join("  "));
  }
  for (const r of runs) log(`Lambda invocations at ${formatLatency(r.latency)}: ${r.invocations}`);
  log(
    "Lambda GB-seconds: Σ over invocations of duration × the function's memory from the CDK stack (shared/config/resources.ts functionMemoryMb), durations as measured locally (a sync waiting for its pacer slot is billed too); before Lambda's 1 ms rounding, without cold starts.",
  );
  log(
    "Lower bound: (writes of the busiest user − 1) × 1 s, users in parallel. Ratio: converged time over it; it includes the API calls, stream and queue latency and the network latency of each run. After the first list was accepted: without the first POST /lists (five users each writing 200 items into DynamoDB Local at once, 0.4–0.6 s here with its JVM warmed and the API in its own worker thread; tens of ms in AWS), from the moment the service holds a list it could write. Each run first warms a fresh DynamoDB Local and the API's worker (three 200-item lists of a scratch user with no Trakt link; not timed).",
  );
}

/**
 * BENCH_TIMELINE=1: when the API accepted each of a user's lists, then each user's writes as they reached Trakt, in
 * seconds from the start (c create, i add, r reorder), each followed by its list's number in the order Trakt created them.
 */
function logTimeline(
  clients: readonly { slug: string }[],
  created: readonly { slug: string; acceptedAt: number }[],
  writes: readonly { user: string; at: number; method: string; path: string }[],
  started: number,
  log: (line: string) => void,
): void {
  const kind = (w: { method: string; path: string }) =>
    w.path.endsWith("/items")
      ? "i"
      : w.path.endsWith("/reorder")
        ? "r"
        : w.method === "POST"
          ? "c"
          : w.method;
  // Trakt numbers lists in the order they were created: a user's n-th create made the list with its n-th id.
  const listIdOf = (path: string) => Number(/\/lists\/(\d+)/.exec(path)?.[1]);
  for (const { slug } of clients) {
    const own = writes.filter((w) => w.user === slug).sort((a, b) => a.at - b.at);
    const ids = [...new Set(own.map((w) => listIdOf(w.path)).filter(Number.isFinite))].sort((a, b) => a - b);
    let creates = 0;
    const ordinal = (w: { method: string; path: string }) =>
      kind(w) === "c" ? ++creates : ids.indexOf(listIdOf(w.path)) + 1;
    const accepted = created
      .filter((l) => l.slug === slug)
      .map((l) => ((l.acceptedAt - started) / 1000).toFixed(2))
      .join(" ");
    log(`  ${slug}: lists accepted at ${accepted}`);
    log(
      `  ${slug}: ${own.map((w) => `${((w.at - started) / 1000).toFixed(2)}${kind(w)}${ordinal(w)}`).join(" ")}`,
    );
  }
}
