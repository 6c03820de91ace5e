import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Where `npm start` keeps the local stack's data between runs: DynamoDB Local's database file,
 * fauxqs's SQLite (queues and in-flight messages), the Trakt sandbox's state and the stream
 * mappings' read positions. Tests and benchmarks pass no data folder and run in memory.
 */
export const defaultDataDir = resolve(process.cwd(), ".local/data");

export function localDataPaths(dataDir: string) {
  return {
    dynamo: join(dataDir, "dynamodb"),
    fauxqs: join(dataDir, "fauxqs"),
    sandbox: join(dataDir, "trakt-sandbox.json"),
    checkpoints: join(dataDir, "stream-checkpoints.json"),
  };
}

/** `npm run reset` / `npm start -- --fresh`: forgets everything the local stack stored. */
export function resetLocalData(dataDir: string = defaultDataDir): void {
  rmSync(dataDir, { recursive: true, force: true });
}

export function loadCheckpoints(path: string): Map<string, string> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(path, "utf8")) as Record<string, string>));
  } catch {
    return new Map();
  }
}

export function saveCheckpoints(path: string, checkpoints: ReadonlyMap<string, string>): void {
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(Object.fromEntries(checkpoints)));
  renameSync(`${path}.tmp`, path);
}
