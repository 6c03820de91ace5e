/**
 * Quiet time: the backfill runs as the schedule would and users who lost their Trakt link link again,
 * until every invariant holds against Trakt (the sandbox) and our API and the sync queue is empty.
 */
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import { type CatalogTitle, selectCandidates } from "#domain/catalog.ts";
import { listIdFromDescription } from "#domain/list.ts";
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import type { SandboxListSnapshot } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { completeFilters } from "#lists/newList.ts";
import type { Backfills } from "./backfills.ts";
import { type ChaosRun, key, sleep, type TrackedList, unknownIdFloor } from "./run.ts";
import { linkTrakt } from "./setup.ts";

export interface Convergence {
  /** When every invariant held and the queue was empty (undefined when that never happened). */
  convergedAt: number | undefined;
  /** When every list was right (the malformed message may still wait for the DLQ). */
  listsConvergedAt: number | undefined;
}

/** Checks until everything converged or `convergeSeconds` passed; not converging is a violation. */
export async function awaitConvergence(
  run: ChaosRun,
  backfills: Backfills,
  quietStarted: number,
): Promise<Convergence> {
  const { settings, stack, tally } = run;
  const users = new UserRepository(createDocumentClient(stack.dynamoEndpoint), stack.tableName);
  let convergedAt: number | undefined;
  let listsConvergedAt: number | undefined;
  let lastProblems: string[] = [];
  let lastProgress = 0;
  const deadline = quietStarted + settings.convergeSeconds * 1000;
  while (Date.now() < deadline) {
    await relinkLostUsers(run, users);
    await backfills.run();
    const problems = await checkInvariants(stack, run.lists, run.catalog.bestFirst);
    const queued = await queueDepth(stack);
    if (problems.length === 0 && backfills.last?.examined === 0) {
      listsConvergedAt ??= Date.now();
      if (queued === 0) {
        convergedAt = Date.now();
        break;
      }
    } else listsConvergedAt = undefined;
    lastProblems = [...problems, ...(queued > 0 ? [`${queued} sync messages still queued`] : [])];
    if (Date.now() - lastProgress > 10_000) {
      lastProgress = Date.now();
      settings.log(
        `  ${((Date.now() - quietStarted) / 1000).toFixed(0)} s: ${problems.length} problems, ${queued} queued, backfill examined ${backfills.last?.examined}; e.g. ${problems[0] ?? "-"}`,
      );
    }
    await sleep(settings.backfillEveryMs);
  }
  if (convergedAt === undefined) {
    tally.violations.push(
      `not converged ${settings.convergeSeconds} s after quiet time started:`,
      ...lastProblems,
    );
  }
  return { convergedAt, listsConvergedAt };
}

/**
 * A worker killed in the few milliseconds between Trakt's answer to a refresh and storing the new
 * pair loses it (refresh tokens are single use): the user is asked to link Trakt again. Do as they would.
 */
async function relinkLostUsers({ stack, tally, settings, users }: ChaosRun, repository: UserRepository) {
  for (const user of users) {
    const profile = await repository.getProfile(user.userId);
    if (profile?.traktLinkState !== "relink_required") continue;
    tally.relinks.push(`${user.userId}: ${profile.relinkReason ?? "relink required"}`);
    // Only a crash can explain it: without a kill (or a timeout) so far it is a bug.
    const crashes = stack.chaos.counts();
    if (Object.values(crashes.kills).reduce((a, b) => a + b, 0) + crashes.timeouts === 0)
      tally.violations.push(
        `${user.userId} lost its Trakt link with no invocation killed: ${profile.relinkReason}`,
      );
    settings.log(`  ${user.userId} must link Trakt again (${profile.relinkReason}); relinking`);
    await linkTrakt(stack, user);
  }
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
  const byUser = new Map<string, TrackedList[]>();
  for (const list of lists) byUser.set(list.user.slug, [...(byUser.get(list.user.slug) ?? []), list]);
  for (const [slug, own] of byUser) {
    const traktLists = stack.sandbox!.listsOf(slug);
    problems.push(...markerProblems(slug, own, traktLists));
    for (const list of own) problems.push(...(await listProblems(list, traktLists, bestFirst)));
  }
  return problems;
}

/** Trakt lists of the user without our marker, or marked for a list the run never made. */
function markerProblems(
  slug: string,
  own: readonly TrackedList[],
  traktLists: SandboxListSnapshot[],
): string[] {
  const problems: string[] = [];
  const unmarked = traktLists.filter((t) => listIdFromDescription(t.description) === undefined);
  if (unmarked.length > 0) problems.push(`${slug}: ${unmarked.length} Trakt lists without our marker`);
  const known = new Set(own.map((l) => l.id));
  for (const t of traktLists) {
    const listId = listIdFromDescription(t.description);
    if (listId !== undefined && !known.has(listId))
      problems.push(`${slug}: Trakt list ${t.ids.trakt} for unknown list ${listId}`);
  }
  return problems;
}

type ItemView = { mediaType: string; tmdbId: number; notFoundOnTrakt: boolean };

async function listProblems(
  list: TrackedList,
  traktLists: SandboxListSnapshot[],
  bestFirst: readonly CatalogTitle[],
): Promise<string[]> {
  const twins = traktLists.filter((t) => listIdFromDescription(t.description) === list.id);
  const where = `${list.user.slug} "${list.title}" (${list.id})`;
  if (list.deleted)
    return twins.length > 0 ? [`${where}: deleted, but ${twins.length} Trakt list(s) remain`] : [];
  if (twins.length !== 1) return [`${where}: ${twins.length} Trakt lists`];
  const got = await list.user.api.get(`/lists/${list.id}`);
  const itemsResponse = await list.user.api.get(`/lists/${list.id}/items`);
  if (got.status !== 200 || itemsResponse.status !== 200)
    return [`${where}: API answered ${got.status} / ${itemsResponse.status}`];
  const view = got.body;
  const items: ItemView[] = itemsResponse.body.items;
  const expected =
    list.listType === "manual"
      ? list.items
      : (await selectCandidates(bestFirst, view.filters, view.itemLimit)).map(key);
  return [
    ...itemProblems(where, list, view, items, expected, twins[0]!),
    ...syncProblems(where, view, items),
  ];
}

/** The items here are what the user made, and Trakt holds them minus the ones it cannot match, in order. */
function itemProblems(
  where: string,
  list: TrackedList,
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, loosely typed like ApiClient's answers
  view: any,
  items: ItemView[],
  expected: string[],
  twin: SandboxListSnapshot,
): string[] {
  const problems: string[] = [];
  const localKeys = items.map(key);
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
  return problems;
}

/** The list says `synced`, with the right counts. */
// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, loosely typed like ApiClient's answers
function syncProblems(where: string, view: any, items: ItemView[]): string[] {
  const sync = view.sync;
  const wanted = items.filter((i) => !i.notFoundOnTrakt).length;
  const notFound = items.filter((i) => i.notFoundOnTrakt).length;
  if (sync.state !== "synced")
    return [`${where}: state ${sync.state} (${sync.lastError?.message ?? "no error"})`];
  if (
    sync.localItemCount !== items.length ||
    sync.traktItemCount !== wanted ||
    sync.notFoundCount !== notFound
  )
    return [
      `${where}: counts local ${sync.localItemCount}/${items.length}, trakt ${sync.traktItemCount}/${wanted}, notFound ${sync.notFoundCount}/${notFound}`,
    ];
  return [];
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
