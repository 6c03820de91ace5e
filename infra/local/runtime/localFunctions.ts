import type { LogLevel } from "@aws-lambda-powertools/logger/types";
import { environmentFor } from "#config/env.ts";
import { type HandlerName, syncQueue } from "#config/resources.ts";
import { logger } from "#observability/observability.ts";
import { resetServices } from "#runtime/services.ts";
import type { ChaosControl } from "./chaos.ts";
import type { InvocationCounter } from "./lambdaContext.ts";
import { type LocalResources, type Log, stateOf } from "./localResources.ts";
import { localStackEnvironment } from "./stackState.ts";
import type { Teardown } from "./teardown.ts";
import { type HandlerRuntime, WorkerPool } from "./workerInvoker.ts";

/** What starts and counts the functions' invocations, shared by every event source of the stack. */
export interface LocalFunctions {
  handlers: Handlers;
  invocations: InvocationCounter;
  chaos: ChaosControl;
  /** Runs stream and sync invocations in worker threads that chaos can kill (see LocalStackOptions). */
  isolate: boolean;
  /** Modules every worker thread imports before its handler (`LocalStackOptions.workerPreload`). */
  workerPreload: readonly URL[];
  teardown: Teardown;
  log: Log;
}

export type Handlers = Awaited<ReturnType<typeof importHandlers>>;

export interface HandlerSettings {
  minWriteIntervalMs?: number;
  maxReceiveCount?: number;
  catalogRefreshIntervalSeconds?: number;
  env?: Record<string, string>;
}

/**
 * Points the handlers' code in this process (and the workers, which inherit it) at the resources,
 * as CDK's environment does in AWS, then loads the handlers Lambda runs.
 */
export async function loadHandlers(resources: LocalResources, settings: HandlerSettings) {
  Object.assign(process.env, {
    ...localStackEnvironment(stateOf(resources)),
    ...environmentFor({
      traktMinWriteIntervalMs: settings.minWriteIntervalMs?.toString(),
      syncMaxReceiveCount: String(settings.maxReceiveCount ?? syncQueue.maxReceiveCount),
      catalogRefreshIntervalSeconds: settings.catalogRefreshIntervalSeconds
        ? String(settings.catalogRefreshIntervalSeconds)
        : undefined,
    }),
    AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? "true",
    ...settings.env,
  });
  resetServices();
  // The logger was made when its module was first imported, maybe before this environment was set. This holds
  // until a warm invocation, when Powertools returns to the level the logger was built with: a process that wants
  // a level sets POWERTOOLS_LOG_LEVEL before importing the handlers (vitest.config.ts, test/bench/quietLogs.ts).
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  if (level) logger.setLogLevel(level as LogLevel);
  return importHandlers();
}

async function importHandlers() {
  const [api, listCreated, listDeleted, sync, backfill, catalogIngest, catalogRefresh] = await Promise.all([
    import("#lambdas/api/handler.ts"),
    import("#lambdas/list-created/handler.ts"),
    import("#lambdas/list-deleted/handler.ts"),
    import("#lambdas/sync/handler.ts"),
    import("#lambdas/backfill/handler.ts"),
    import("#lambdas/catalog-ingest/handler.ts"),
    import("#lambdas/catalog-refresh/handler.ts"),
  ]);
  return {
    api: api.handler,
    "list-created": listCreated.handler,
    "list-deleted": listDeleted.handler,
    sync: sync.handler,
    backfill: backfill.handler,
    "catalog-ingest": catalogIngest.handler,
    "catalog-refresh": catalogRefresh.handler,
  };
}

/**
 * With `isolate`, a pool of `size` worker threads that runs the handler's own module (killable by
 * chaos, its timeout enforced); otherwise undefined, and the poller calls the handler in this thread.
 */
export function isolatedRuntime<E, R>(
  functions: LocalFunctions,
  name: HandlerName,
  size: number,
  timeoutSeconds: number,
): HandlerRuntime<E, R> | undefined {
  if (!functions.isolate) return undefined;
  const pool = functionWorkers<E, R>(functions, name, size, timeoutSeconds);
  functions.chaos.register(pool);
  return pool;
}

/** `size` worker threads that each import the handler's own module (after `workerPreload`), its timeout enforced. */
export function functionWorkers<E, R>(
  functions: LocalFunctions,
  name: HandlerName,
  size: number,
  timeoutSeconds: number,
): WorkerPool<E, R> {
  return new WorkerPool<E, R>({
    functionName: name,
    moduleUrl: new URL(`../../../lambdas/${name}/handler.ts`, import.meta.url),
    size,
    timeoutSeconds,
    preload: functions.workerPreload,
    log: functions.log,
  });
}
