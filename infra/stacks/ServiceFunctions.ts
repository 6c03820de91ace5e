import { Duration } from "aws-cdk-lib";
import type { Construct } from "constructs";
import {
  functionMemoryMb,
  functionTimeoutSeconds,
  type HandlerName,
  handlerNames,
} from "#config/resources.ts";
import { constructIdOf, ServiceFunction } from "#infra/constructs/ServiceFunction.ts";

/** What each function does (its description in AWS). */
const descriptions: Readonly<Record<HandlerName, string>> = {
  api: "HTTP API: lists, items, Trakt device flow",
  "list-created": "Table stream INSERT of a list: creates its Trakt list and enqueues a full sync",
  "list-deleted": "Table stream REMOVE of a list: deletes its Trakt list",
  sync: "Sync queue consumer: converges a Trakt list to the local list",
  backfill: "Scheduled repair: creates missing Trakt lists, re-enqueues failed or drifted syncs",
  "catalog-ingest": "A file in the catalog bucket's incoming/: builds and publishes the next catalog version",
  "catalog-refresh": "New catalog version or schedule: queues syncs of custom lists whose selection changed",
};

export type ServiceFunctionsProps = {
  /** What every function gets: the table, the sync queue, Trakt, the catalog bucket, the token key. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables only some functions read. */
  readonly environmentOf: Readonly<Partial<Record<HandlerName, Record<string, string>>>>;
  /** Concurrency kept for a function alone (and its ceiling). */
  readonly reservedConcurrency: Readonly<Partial<Record<HandlerName, number>>>;
};

/**
 * The service's seven functions, in `handlerNames` order, each with its timeout and memory from
 * shared/config/resources.ts. They are made in `scope` (ids `Api`, `ListCreated`, …), so their
 * logical ids stay those of the deployed functions.
 */
export function createServiceFunctions(
  scope: Construct,
  props: ServiceFunctionsProps,
): Readonly<Record<HandlerName, ServiceFunction>> {
  const functions = handlerNames.map((name) => {
    const fn = new ServiceFunction(scope, constructIdOf(name), {
      name,
      description: descriptions[name],
      timeout: Duration.seconds(functionTimeoutSeconds[name]),
      memorySize: functionMemoryMb[name],
      environment: { ...props.environment, ...props.environmentOf[name] },
      reservedConcurrentExecutions: props.reservedConcurrency[name],
    });
    return [name, fn] as const;
  });
  return Object.fromEntries(functions) as Record<HandlerName, ServiceFunction>;
}
