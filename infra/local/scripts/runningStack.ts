import { readFileSync } from "node:fs";
import { defaultStateFile, type LocalStackState, localStackEnvironment } from "../runtime/stackState.ts";

/**
 * Points this process at the local stack `npm start` is running (it describes itself in
 * .local/stack.json), so scripts use the same adapters and handler code against it.
 */
export function attachToRunningStack(): LocalStackState {
  let state: LocalStackState;
  try {
    state = JSON.parse(readFileSync(defaultStateFile, "utf8")) as LocalStackState;
  } catch {
    console.error(
      `No local stack is running (no ${defaultStateFile}). Start it with \`npm start\` in another terminal.`,
    );
    process.exit(1);
  }
  Object.assign(process.env, {
    ...localStackEnvironment(state),
    AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
  });
  return state;
}
