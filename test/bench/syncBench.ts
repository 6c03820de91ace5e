/**
 * The sync case of `npm run bench`: syncs N lists of M items for U users through the whole local stack and the
 * Trakt sandbox (with Trakt's real one write per second per user), and prints what it cost.
 *
 *   BENCH_USERS (5)  BENCH_LISTS (4 per user)  BENCH_ITEMS (200 per list)
 *
 * Then Lambda GB-seconds per 1,000 items synced, side by side: syncs that sleep in the pacer until
 * their write slot ("before": TRAKT_MAX_SLOT_WAIT_MS never reached) against syncs that defer their
 * message when the slot is more than 5 s away ("after", the default), for that case and for one
 * user creating BENCH_FLOOD_LISTS (50) lists of BENCH_FLOOD_ITEMS (100) at once.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sampleCatalogPath } from "../../infra/local/catalog/generateSampleCatalog.ts";
import { startLocalStack } from "../../infra/local/runtime/localStack.ts";
import { capacityMeter } from "../../shared/adapters/dynamo/capacityMeter.ts";
import { createDocumentClient } from "../../shared/adapters/dynamo/client.ts";
import { UserRepository } from "../../shared/adapters/dynamo/UserRepository.ts";
import { parseCatalogFeed } from "../../shared/catalog/catalogFeed.ts";
import { functionMemoryMb, syncMaxConcurrency } from "../../shared/config/resources.ts";
import { ApiClient } from "../support/apiClient.ts";
import { linkSandboxUser } from "../support/traktUser.ts";

const benchUsers = Number(process.env.BENCH_USERS ?? 5);
const benchLists = Number(process.env.BENCH_LISTS ?? 4);
const benchItems = Number(process.env.BENCH_ITEMS ?? 200);
const floodLists = Number(process.env.BENCH_FLOOD_LISTS ?? 50);
const floodItems = Number(process.env.BENCH_FLOOD_ITEMS ?? 100);
const batchSize = 100;
/** A slot wait no sync reaches: every sync sleeps until its slot, as before deferral existed. */
const neverDefer = 1e9;
const writeIntervalMs = 1_000;

const isMixed = (list: { expected: string[] }) =>
  list.expected.some((k) => k.startsWith("movie")) && list.expected.some((k) => k.startsWith("show"));
interface SyncCase {
  users: number;
  listsPerUser: number;
  itemsPerList: number;
  /** TRAKT_MAX_SLOT_WAIT_MS for the run. */
  maxSlotWaitMs: number;
}

export async function syncBench(log: (line: string) => void): Promise<void> {
  const main = { users: benchUsers, listsPerUser: benchLists, itemsPerList: benchItems };
  const flood = { users: 1, listsPerUser: floodLists, itemsPerList: floodItems };
  const after = await runSyncCase({ ...main, maxSlotWaitMs: 5_000 }, log);
  const figures: string[] = [];
  const row = (name: string, before: number, deferred: number) =>
    figures.push(
      `  ${name.padEnd(34)} ${before.toFixed(2).padStart(8)} ${deferred.toFixed(2).padStart(8)}   (${(before / deferred).toFixed(1)}× less)`,
    );
  const quiet = (line: string) => {
    if (/^(Benchmark|Converged|Lambda GB-seconds)/.test(line)) log(line);
  };
  log("");
  log("Lambda GB-seconds: the same cases with syncs sleeping until their write slot (before deferral)");
  const before = await runSyncCase({ ...main, maxSlotWaitMs: neverDefer }, quiet);
  row(`${main.users}×${main.listsPerUser}×${main.itemsPerList}`, before, after);
  const floodBefore = await runSyncCase({ ...flood, maxSlotWaitMs: neverDefer }, quiet);
  const floodAfter = await runSyncCase({ ...flood, maxSlotWaitMs: 5_000 }, quiet);
  row(`1 user, ${flood.listsPerUser} lists × ${flood.itemsPerList} at once`, floodBefore, floodAfter);
  log("");
  log(
    "Lambda GB-seconds per 1,000 items synced   before    after   (invocation wall time × memory; local, CPU shared)",
  );
  for (const line of figures) log(line);
}

/** One run; the Lambda GB-seconds per 1,000 items synced. */
async function runSyncCase(
  { users, listsPerUser, itemsPerList, maxSlotWaitMs }: SyncCase,
  log: (line: string) => void,
): Promise<number> {
  log(
    `Benchmark: ${users} users × ${listsPerUser} lists × ${itemsPerList} items (Trakt: 1 write / ${writeIntervalMs} ms / user; TRAKT_MAX_SLOT_WAIT_MS ${maxSlotWaitMs >= neverDefer ? "never reached" : maxSlotWaitMs})`,
  );

  const stack = await startLocalStack({
    port: 0,
    tableName: `bench-${randomUUID()}`,
    sandbox: { writeIntervalMs },
    syncConcurrency: Math.min(syncMaxConcurrency, users * listsPerUser),
    env: {
      POWERTOOLS_LOG_LEVEL: "ERROR",
      API_RATE_LIMIT_PER_MINUTE: "100000",
      MAX_LISTS_PER_USER: String(Math.max(100, listsPerUser)),
      TRAKT_MAX_SLOT_WAIT_MS: String(maxSlotWaitMs),
    },
  });
  const sandbox = stack.sandbox!;

  try {
    const titles = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8")).filter(
      (t) => t.tmdbId < 90_000_000,
    );
    if (titles.length < itemsPerList)
      throw new Error(`The catalog has only ${titles.length} matchable titles`);
    const doc = createDocumentClient(stack.dynamoEndpoint);
    const userRepository = new UserRepository(doc, stack.tableName);
    const clients: { slug: string; api: ApiClient }[] = [];
    for (let u = 0; u < users; u++) {
      const slug = `bench-user-${u + 1}`;
      await linkSandboxUser(sandbox, userRepository, slug);
      clients.push({ slug, api: new ApiClient(stack.apiUrl, await stack.token(slug)) });
    }

    capacityMeter.reset();
    stack.invocations.counts.clear();
    stack.invocations.busyMs.clear();
    const started = Date.now();
    const created: { api: ApiClient; slug: string; name: string; id: string; expected: string[] }[] = [];
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
          });
        }
      }),
    );

    // Converged when Trakt (the sandbox, read in-process at no cost) holds every list exactly, in rank order.
    const onTrakt = (slug: string, name: string) =>
      sandbox
        .listsOf(slug)
        .find((l) => l.name === name)
        ?.items.map((i) => `${i.type}:${(i.movie ?? i.show)?.ids.tmdb}`);
    const isExact = (list: (typeof created)[number]) =>
      JSON.stringify(onTrakt(list.slug, list.name)) === JSON.stringify(list.expected);
    let exact = 0;
    let lastPrint = 0;
    const deadline = started + Number(process.env.BENCH_DEADLINE_SECONDS ?? 900) * 1000;
    while (exact < created.length) {
      if (Date.now() > deadline) {
        throw new Error(`Lists did not converge in time: ${exact}/${created.length} exact on Trakt`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      exact = created.filter(isExact).length;
      if (Date.now() - lastPrint > 2_000) {
        lastPrint = Date.now();
        const writes = sandbox.writeLog().length;
        log(
          `  ${((Date.now() - started) / 1000).toFixed(1)} s: ${exact}/${created.length} lists exact on Trakt, ${writes} Trakt writes`,
        );
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const invocations = [...stack.invocations.counts].map(([name, n]) => `${name} ${n}`).join(", ");
    const gbSeconds = stack.invocations.gbSeconds(functionMemoryMb);
    const capacity = {
      rcu: capacityMeter.readCapacityUnits,
      wcu: capacityMeter.writeCapacityUnits,
      calls: capacityMeter.calls,
    };

    // Every list must also say so: synced, with Trakt's count.
    for (const { api, id } of created) {
      for (let tries = 0; ; tries++) {
        const sync = (await api.get(`/lists/${id}`)).body.sync;
        if (sync.state === "synced" && sync.traktItemCount === itemsPerList) break;
        if (tries > 100)
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
    const addWrites = writes.filter((w) => w.method === "POST" && w.path.endsWith("/items")).length;
    const requests = sum((s) => Object.values(s.requests).reduce((a, b) => a + b, 0));
    const gets = sum((s) => s.requests.GET ?? 0);
    // Trakt adds the movies of one POST before its shows, so a list mixing both needs one reorder write.
    const mixed = created.filter(isMixed).length;
    const addsPerList = Math.ceil(itemsPerList / batchSize);
    const minimumWrites = created.length * (1 + addsPerList) + mixed;
    const busiestUserWrites = Math.max(
      ...clients.map(({ slug }) => {
        const own = created.filter((l) => l.slug === slug);
        return own.length * (1 + addsPerList) + own.filter(isMixed).length;
      }),
    );
    const lowerBound = ((busiestUserWrites - 1) * writeIntervalMs) / 1000;
    const totalItems = users * listsPerUser * itemsPerList;

    log("");
    log(`Converged: ${created.length} lists, ${totalItems} items exact on Trakt, in ${seconds.toFixed(1)} s`);
    log(
      `Trakt calls: ${requests} (${writes.length} accepted writes, ${gets} GETs, ${sum((s) => s.rateLimited)} answered 429)`,
    );
    log(
      `Trakt writes: ${writes.length}, minimum ${minimumWrites} (${created.length} creates + ${created.length * addsPerList} adds + ${mixed} reorders for lists mixing movies and shows)`,
    );
    log(
      `Items per add write: ${(totalItems / addWrites).toFixed(1)} (${addWrites} add writes, batches of ≤${batchSize})`,
    );
    log(
      `Lower bound (1 write/s per user, users in parallel): ${lowerBound.toFixed(1)} s → ratio ${(seconds / lowerBound).toFixed(2)}`,
    );
    log(
      `DynamoDB: ${capacity.rcu.toFixed(1)} RCU, ${capacity.wcu.toFixed(1)} WCU over ${capacity.calls} calls (${(capacity.wcu / totalItems).toFixed(2)} WCU per item)`,
    );
    log(`Lambda invocations: ${invocations}`);
    const perThousand = (gbSeconds / totalItems) * 1000;
    log(`Lambda GB-seconds: ${gbSeconds.toFixed(1)} (${perThousand.toFixed(2)} per 1,000 items synced)`);
    doc.destroy();
    return perThousand;
  } finally {
    await stack.stop();
  }
}
