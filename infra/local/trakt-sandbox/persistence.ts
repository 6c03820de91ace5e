import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SandboxUser } from "./model.ts";
import type { SandboxState } from "./state.ts";

/**
 * The sandbox's lasting state (users with their lists and items, tokens, id counters, unknown ids)
 * as one JSON file, so `npm start` keeps Trakt's side across restarts. Pending device codes, rate
 * windows, statistics and faults are not kept: they are short-lived by nature.
 */
interface SavedSandbox {
  version: 1;
  users: SandboxUser[];
  tokens: ReturnType<SandboxState["tokens"]["snapshot"]>;
  ids: ReturnType<SandboxState["snapshotIds"]>;
}

export function saveSandboxState(state: SandboxState, path: string): void {
  const saved: SavedSandbox = {
    version: 1,
    users: [...state.users.values()],
    tokens: state.tokens.snapshot(),
    ids: state.snapshotIds(),
  };
  mkdirSync(dirname(path), { recursive: true });
  // Write then rename: a stop in the middle never leaves half a file.
  writeFileSync(`${path}.tmp`, JSON.stringify(saved));
  renameSync(`${path}.tmp`, path);
}

/** Loads a saved state into a fresh one; false when there is no file yet. */
export function loadSandboxState(state: SandboxState, path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return false;
  }
  const saved = JSON.parse(text) as SavedSandbox;
  if (saved.version !== 1) throw new Error(`Unknown sandbox state version in ${path}`);
  for (const user of saved.users) state.users.set(user.slug, user);
  state.tokens.restore(saved.tokens);
  state.restoreIds(saved.ids);
  return true;
}
