/**
 * `npm run bench`: syncs N lists of M items for U users through the whole local stack and the
 * Trakt sandbox (with Trakt's real one write per second per user), and prints what it cost.
 *
 *   BENCH_USERS (5)  BENCH_LISTS (4 per user)  BENCH_ITEMS (200 per list)
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sampleCatalogPath } from "../../infra/local/catalog/generateSampleCatalog.ts";
import { startLocalStack } from "../../infra/local/runtime/localStack.ts";
import { capacityMeter } from "../../shared/adapters/dynamo/capacityMeter.ts";
import { createDocumentClient } from "../../shared/adapters/dynamo/client.ts";
import { UserRepository } from "../../shared/adapters/dynamo/UserRepository.ts";
import { parseCatalogFeed } from "../../shared/catalog/catalogFeed.ts";
import { ApiClient } from "../support/apiClient.ts";
import { linkSandboxUser } from "../support/traktUser.ts";

const users = Number(process.env.BENCH_USERS ?? 5);
const listsPerUser = Number(process.env.BENCH_LISTS ?? 4);
const itemsPerList = Number(process.env.BENCH_ITEMS ?? 200);
const batchSize = 100;
const writeIntervalMs = 1_000;

const log = (line: string) => console.log(line);
log(
  `Benchmark: ${users} users × ${listsPerUser} lists × ${itemsPerList} items (Trakt: 1 write / ${writeIntervalMs} ms / user)`,
);

const stack = await startLocalStack({
  port: 0,
  tableName: `bench-${randomUUID()}`,
  sandbox: { writeIntervalMs },
  syncConcurrency: Math.min(20, users * listsPerUser),
  env: { POWERTOOLS_LOG_LEVEL: "ERROR" },
});
const sandbox = stack.sandbox!;

try {
  const titles = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8")).filter(
    (t) => t.tmdbId < 90_000_000,
  );
  if (titles.length < itemsPerList) throw new Error(`The catalog has only ${titles.length} matchable titles`);
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
  const started = Date.now();
  const created: { api: ApiClient; id: string }[] = [];
  await Promise.all(
    clients.map(async ({ api }, u) => {
      for (let l = 0; l < listsPerUser; l++) {
        const offset = ((u * listsPerUser + l) * 37) % (titles.length - itemsPerList);
        const items = titles
          .slice(offset, offset + itemsPerList)
          .map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
        const response = await api.post("/lists", {
          title: `Bench ${u + 1}.${l + 1}`,
          listType: "manual",
          items,
        });
        if (response.status !== 201)
          throw new Error(`POST /lists answered ${response.status}: ${JSON.stringify(response.body)}`);
        created.push({ api, id: response.body.id });
      }
    }),
  );

  let synced = 0;
  let lastPrint = 0;
  const deadline = started + 15 * 60_000;
  while (synced < created.length) {
    if (Date.now() > deadline) throw new Error("Lists did not converge within 15 minutes");
    await new Promise((resolve) => setTimeout(resolve, 250));
    const states = await Promise.all(
      created.map(async ({ api, id }) => (await api.get(`/lists/${id}`)).body.sync),
    );
    synced = states.filter((s) => s.state === "synced" && s.traktItemCount === itemsPerList).length;
    if (Date.now() - lastPrint > 2_000) {
      lastPrint = Date.now();
      const writes = sandbox.writeLog().length;
      log(
        `  ${((Date.now() - started) / 1000).toFixed(1)} s: ${synced}/${created.length} lists synced, ${writes} Trakt writes`,
      );
    }
  }
  const seconds = (Date.now() - started) / 1000;

  // Verify what Trakt holds, list by list.
  for (const { slug } of clients) {
    for (const list of sandbox.listsOf(slug)) {
      if (list.items.length !== itemsPerList)
        throw new Error(`${slug}/${list.name} has ${list.items.length} items`);
    }
    if (sandbox.listsOf(slug).length !== listsPerUser)
      throw new Error(`${slug} has the wrong number of Trakt lists`);
  }

  const stats = Object.values(sandbox.stats());
  const sum = (pick: (s: (typeof stats)[number]) => number) => stats.reduce((total, s) => total + pick(s), 0);
  const writes = sandbox.writeLog();
  const addWrites = writes.filter((w) => w.method === "POST" && w.path.endsWith("/items")).length;
  const requests = sum((s) => Object.values(s.requests).reduce((a, b) => a + b, 0));
  const gets = sum((s) => s.requests.GET ?? 0);
  const writesPerUser = listsPerUser * (1 + Math.ceil(itemsPerList / batchSize));
  const lowerBound = ((writesPerUser - 1) * writeIntervalMs) / 1000;
  const totalItems = users * listsPerUser * itemsPerList;

  log("");
  log(`Converged: ${created.length} lists, ${totalItems} items on Trakt, in ${seconds.toFixed(1)} s`);
  log(
    `Trakt calls: ${requests} (${writes.length} accepted writes, ${gets} GETs, ${sum((s) => s.rateLimited)} answered 429)`,
  );
  log(
    `Items per add write: ${(totalItems / addWrites).toFixed(1)} (${addWrites} add writes, batches of ≤${batchSize})`,
  );
  log(
    `Writes per user: ${writes.length / users} (minimum ${writesPerUser}: ${listsPerUser} creates + ${listsPerUser * Math.ceil(itemsPerList / batchSize)} adds)`,
  );
  log(
    `Lower bound (1 write/s/user, users in parallel): ${lowerBound.toFixed(1)} s → ratio ${(seconds / lowerBound).toFixed(2)}`,
  );
  log(
    `DynamoDB: ${capacityMeter.readCapacityUnits.toFixed(1)} RCU, ${capacityMeter.writeCapacityUnits.toFixed(1)} WCU over ${capacityMeter.calls} calls`,
  );
  log(`Lambda invocations: ${[...stack.invocations.counts].map(([name, n]) => `${name} ${n}`).join(", ")}`);
  doc.destroy();
} finally {
  await stack.stop();
}
