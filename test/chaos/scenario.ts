/**
 * The chaos scenario, shared by `test/chaos/chaos.test.ts` (CI size) and `npm run chaos` (bigger,
 * from CHAOS_* variables): users link Trakt and create manual and custom lists while the Trakt
 * sandbox injects faults, workers are killed mid-invocation and deliveries are duplicated; the users
 * keep editing and delete lists. Then quiet time: faults off, the backfill runs as the schedule would,
 * and the invariants are checked against Trakt (the sandbox) and our API.
 */
import { Backfills } from "./backfills.ts";
import { awaitConvergence } from "./convergence.ts";
import { startChaos } from "./faults.ts";
import { buildReport, type ChaosReport, totalCalls } from "./report.ts";
import { type ChaosRun, seededDice, Tally } from "./run.ts";
import type { ChaosSettings } from "./settings.ts";
import { linkUsers, loadCatalog, startChaosStack } from "./setup.ts";
import { createLists, editUntil } from "./userActions.ts";

export async function runChaos(settings: ChaosSettings): Promise<ChaosReport> {
  const started = Date.now();
  const dice = seededDice(settings.seed);
  const catalog = loadCatalog();
  const stack = await startChaosStack(settings);
  const sandbox = stack.sandbox!;
  const backfills = new Backfills(stack);
  try {
    // Tokens issued from now on live 3 s, so refreshes (single use, serialized) happen all the time.
    sandbox.setFaults({ rules: [], accessTokenTtlSeconds: settings.tokenTtlSeconds, seed: settings.seed });
    const users = await linkUsers(stack, settings.users);
    const run: ChaosRun = { settings, stack, sandbox, dice, catalog, users, lists: [], tally: new Tally() };
    const callsBefore = totalCalls(sandbox.stats());
    settings.log(
      `Chaos: ${settings.users} users × ${settings.listsPerUser} lists (${settings.minItems}–${settings.maxItems} items), ${settings.chaosSeconds} s of chaos`,
    );

    // ── Chaos phase ──────────────────────────────────────────────────────────────────────────────
    const phase = await startChaos(run);
    const stopBackfills = backfills.schedule(settings.backfillEveryMs, settings.log);
    await createLists(run);
    await editUntil(run, phase);

    // ── Quiet time ───────────────────────────────────────────────────────────────────────────────
    await phase.quiet();
    await stopBackfills();
    const quietStarted = Date.now();
    settings.log(
      `Quiet time after ${((quietStarted - started) / 1000).toFixed(0)} s; waiting for convergence…`,
    );
    const convergence = await awaitConvergence(run, backfills, quietStarted);

    // ── What the run did ─────────────────────────────────────────────────────────────────────────
    const times = { started, quietStarted, ...convergence };
    return await buildReport(run, times, { before: callsBefore, backfillRuns: backfills.runs });
  } finally {
    await stack.stop();
  }
}
