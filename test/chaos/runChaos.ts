/**
 * `npm run chaos`: the chaos scenario at a bigger size, against its own DynamoDB Local.
 *
 *   CHAOS_USERS (5)  CHAOS_LISTS (4 per user)  CHAOS_ITEMS (250, most items per list; CHAOS_MIN_ITEMS 40)
 *   CHAOS_SECONDS (120 of chaos)  CHAOS_CONVERGE_SECONDS (300)  CHAOS_FAULT_RATE (1)  CHAOS_SEED (7)
 *   CHAOS_KILL_EVERY_MS (1500-4000; 0: no kills)  CHAOS_SYNC_CONCURRENCY (8)
 *   CHAOS_TOKEN_TTL_SECONDS (3)  CHAOS_DUPLICATE_RATE (1: multiplies the duplicate probabilities)
 *   CHAOS_LATENCY_MS (150±100: the sandbox's round-trip latency; CI runs 100±80)
 *   CHAOS_REPAIR_DELAY_SCALE (0.02: a day's drift check comes after 29 min; 0.001 brings it into the run)
 *   CHAOS_LOG_LEVEL (ERROR; WARN or INFO shows the handlers' logs and every kill)
 *
 * Exits 1 when an invariant broke.
 */
import { formatReport } from "./report.ts";
import { runChaos } from "./scenario.ts";
import { ciSettings, settingsFromEnv } from "./settings.ts";

const settings = settingsFromEnv({
  ...ciSettings,
  users: 5,
  listsPerUser: 4,
  maxItems: 250,
  chaosSeconds: 120,
  convergeSeconds: 300,
  syncConcurrency: 8,
  visibilityTimeoutSeconds: 60,
  syncTimeoutSeconds: 50,
  latency: "150±100",
});
const report = await runChaos({ ...settings, log: (line) => console.log(line) });
for (const line of formatReport(report)) console.log(line);
process.exit(report.violations.length === 0 ? 0 : 1);
