/** `npm run verify`: every user's lists next to Trakt's own counts, as a table (an operator view). */
import { getServices } from "#runtime/services.ts";
import { ownershipOf, verifyLists } from "#sync/verification.ts";
import { attachToRunningStack } from "./runningStack.ts";

attachToRunningStack();
const { users, lists, sessionFor } = getServices();
const rows: Record<string, string | number>[] = [];
let drifted = 0;
let orphans = 0;
let notOurs = 0;
for await (const userId of users.allUserIds()) {
  const own = await lists.listByUser(userId);
  let traktLists: Awaited<ReturnType<Awaited<ReturnType<typeof sessionFor>>["getLists"]>> | undefined;
  let traktProblem = "";
  try {
    traktLists = await (await sessionFor(userId)).getLists();
  } catch (error) {
    traktProblem = `Trakt unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
  const report = verifyLists(own, traktLists, await ownershipOf(lists, userId));
  for (const list of report.lists) {
    if (list.drifted) drifted++;
    rows.push({
      user: userId,
      list: list.id.slice(0, 8),
      title: list.title.slice(0, 24),
      type: list.listType,
      traktId: list.traktListId ?? "-",
      local: list.localItemCount,
      expected: list.expectedTraktItemCount,
      trakt: list.traktItemCount ?? "?",
      state: list.state,
      lastSynced: list.lastSyncedAt?.slice(0, 19) ?? "-",
      drift: list.drifted ? `DRIFT: ${list.problem}` : traktProblem ? traktProblem.slice(0, 40) : "ok",
    });
  }
  for (const orphan of report.orphans) {
    orphans++;
    rows.push({
      user: userId,
      list: orphan.listId.slice(0, 8),
      title: orphan.name.slice(0, 24),
      type: "-",
      traktId: orphan.traktListId,
      local: "-",
      expected: 0,
      trakt: "?",
      state: "deleted",
      lastSynced: "-",
      drift: "ORPHAN on Trakt (the backfill deletes it)",
    });
  }
  for (const other of report.notOurs) {
    notOurs++;
    rows.push({
      user: userId,
      list: other.listId.slice(0, 8),
      title: other.name.slice(0, 24),
      type: "-",
      traktId: other.traktListId,
      local: "-",
      expected: "-",
      trakt: "?",
      state: "not ours",
      lastSynced: "-",
      drift: `not ours, left alone: ${other.reason}`.slice(0, 60),
    });
  }
}
console.table(rows);
console.log(
  `${rows.length - orphans - notOurs} lists, ${drifted} drifted, ${orphans} orphaned Trakt lists, ${notOurs} marked Trakt lists not ours.`,
);
process.exitCode = drifted + orphans > 0 ? 2 : 0;
