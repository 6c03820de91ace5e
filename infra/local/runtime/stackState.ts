import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { environmentFor } from "#config/env.ts";
import type { Teardown } from "./teardown.ts";

/** What scripts need to reach a running local stack (written by `npm start`, removed when it stops). */
export interface LocalStackState {
  apiUrl: string;
  traktApiUrl: string;
  traktAuthUrl: string;
  traktClientId: string;
  traktClientSecret: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  catalogBucket: string;
  tableName: string;
  itemsTableName: string;
  queues: { sync: string; syncDlq: string; streamFailures: string };
}

export const defaultStateFile = resolve(process.cwd(), ".local/stack.json");

/** Writes the state to `path` (readable by this user only) and removes it when the stack stops. */
export function publishStackState(path: string, state: LocalStackState, teardown: Teardown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(state, null, 2), { mode: 0o600 });
  teardown.add(async () => rmSync(path, { force: true }));
}

/**
 * The variables that point the handlers' code at a local stack: set in the stack's own process, and
 * in scripts that attach to a running one.
 */
export function localStackEnvironment(state: Omit<LocalStackState, "apiUrl">): Record<string, string> {
  return environmentFor({
    tableName: state.tableName,
    itemsTableName: state.itemsTableName,
    syncQueueUrl: state.queues.sync,
    streamFailuresQueueUrl: state.queues.streamFailures,
    dynamoEndpoint: state.dynamoEndpoint,
    sqsEndpoint: state.sqsEndpoint,
    s3Endpoint: state.s3Endpoint,
    catalogBucket: state.catalogBucket,
    traktApiUrl: state.traktApiUrl,
    traktAuthUrl: state.traktAuthUrl,
    traktClientId: state.traktClientId,
    traktClientSecret: state.traktClientSecret,
  });
}
