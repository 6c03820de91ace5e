/**
 * `npm run reset`: forgets everything `npm start` stored in .local/data/ (lists, links, queues, the
 * sandbox's Trakt lists). Stop the local stack first.
 */
import { existsSync } from "node:fs";
import { defaultDataDir, resetLocalData } from "../runtime/localData.ts";
import { defaultStateFile } from "../runtime/stackState.ts";

if (existsSync(defaultStateFile)) {
  console.error("The local stack seems to be running (.local/stack.json exists): stop it first (Ctrl-C).");
  process.exit(1);
}
resetLocalData(defaultDataDir);
console.log(`Removed ${defaultDataDir}: the next npm start begins with no lists, links or Trakt lists.`);
