/** `npm run backfill`: one backfill run on the running local stack, with progress. */
import { backfillMaxLists } from "#config/env.ts";
import { getServices } from "#runtime/services.ts";
import { runBackfill } from "#sync/backfill.ts";
import { progressLine } from "./progress.ts";
import { attachToRunningStack } from "./runningStack.ts";

attachToRunningStack();
const { lists, queue, sessionFor } = getServices();
const started = Date.now();
const show = progressLine();
const report = await runBackfill(
  {
    lists,
    queue,
    sessionFor,
    onTraktListDeleted: (d) =>
      console.log(
        `\n  deleted Trakt list ${d.traktListId} "${d.name}" of ${d.userId}/${d.listId}: ${d.reason}`,
      ),
  },
  {
    maxLists: backfillMaxLists(),
    onProgress: (r) =>
      show(
        `  examined ${r.examined}, repairs queued ${r.repairsQueued}, verified ${r.verified}, drifted ${r.drifted}, orphans removed ${r.orphansRemoved}, not ours ${r.notOurs}`,
      ),
  },
);
console.log(`\nBackfill done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(report)}`);
if (report.truncated) console.log("More lists are due: run it again, or let the schedule continue.");
