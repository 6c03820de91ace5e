/** What a chaos run did, from the sandbox's counts, the dead letters and the scenario's tally; and its report. */
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { ChaosCounts } from "#infra/local/runtime/chaos.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import type { FaultKind } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { syncRequestSchema } from "#sync/syncRequest.ts";
import type { ChaosRun, TrackedList } from "./run.ts";
import type { ChaosSettings } from "./settings.ts";

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

/** What the run knew when it began quiet time and converged (or not). */
export interface RunTimes {
  started: number;
  quietStarted: number;
  convergedAt: number | undefined;
  listsConvergedAt: number | undefined;
}

/** The report of the run: dead letters accounted for, the sandbox's counts, pacing checked, items counted. */
export async function buildReport(
  run: ChaosRun,
  times: RunTimes,
  calls: { before: number; backfillRuns: number },
): Promise<ChaosReport> {
  const { stack, sandbox, lists, tally } = run;
  const dlq = await accountForDeadLetters(stack, lists);
  tally.violations.push(...dlq.violations);
  const stats = sandbox.stats();
  const traffic = trafficOf(stats);
  const writes = acceptedWrites(run);
  const remaining = lists.filter((l) => !l.deleted);
  const itemsSummary = await countItems(remaining);
  const { log: _log, ...plainSettings } = run.settings;
  const injected = traffic.faults.headerless_429 ?? 0;
  const since = (at: number | undefined) => (at === undefined ? undefined : (at - times.quietStarted) / 1000);
  return {
    settings: plainSettings,
    violations: tally.violations,
    lists: {
      created: lists.length,
      deleted: lists.length - remaining.length,
      remaining: remaining.length,
      manual: remaining.filter((l) => l.listType === "manual").length,
      custom: remaining.filter((l) => l.listType === "custom").length,
    },
    items: itemsSummary,
    edits: tally.edits,
    duplicateSyncRequests: tally.duplicateSyncRequests,
    faults: traffic.faults,
    chaos: stack.chaos.counts(),
    rateLimited: {
      total: traffic.rateLimited,
      injected,
      ourPacing: traffic.rateLimited - injected,
      mostGetsOfOneUser: traffic.mostGetsOfOneUser,
    },
    unauthorized: traffic.unauthorized,
    minWriteGapMs: writes.minGapMs,
    acceptedWrites: writes.count,
    traktCalls: {
      total: totalCalls(stats) - calls.before,
      gets: traffic.gets,
      writes: writes.count,
      baselineEstimate: baselineCalls(lists),
    },
    backfillRuns: calls.backfillRuns,
    dlq: dlq.counts,
    relinks: tally.relinks,
    convergeSeconds: since(times.convergedAt),
    listsConvergeSeconds: since(times.listsConvergedAt),
    totalSeconds: (Date.now() - times.started) / 1000,
  };
}

type SandboxStats = ReturnType<NonNullable<LocalStack["sandbox"]>["stats"]>;

/** Faults injected, 429s, GETs and 401s, over every user of the sandbox. */
function trafficOf(stats: SandboxStats) {
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
  return { faults, rateLimited, gets, mostGetsOfOneUser, unauthorized };
}

/** Writes Trakt accepted, and the closest two of one user: closer than Trakt's 1 s is a violation. */
function acceptedWrites({ sandbox, users, tally }: ChaosRun) {
  let minGapMs: number | undefined;
  let count = 0;
  for (const user of users) {
    const writes = sandbox
      .writeLog(user.slug)
      .map((w) => w.at)
      .sort((a, b) => a - b);
    count += writes.length;
    for (let i = 1; i < writes.length; i++) {
      const gap = writes[i]! - writes[i - 1]!;
      minGapMs = Math.min(minGapMs ?? gap, gap);
      if (gap < 1_000) tally.violations.push(`${user.slug}: two accepted writes ${gap} ms apart`);
    }
  }
  return { minGapMs, count };
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

export function totalCalls(stats: SandboxStats): number {
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
