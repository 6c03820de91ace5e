import "./xrayOutsideLambda.ts";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

/** Structured JSON logs; handlers append `listId` and `userId` to every line about a list. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "trakt-list-sync" });

/** EMF metrics; its own warnings (an invocation that published none) are structured log lines at the logger's level. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "TraktListSync",
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "trakt-list-sync",
  logger,
});

/**
 * X-Ray traces (the functions run with active tracing): handler segments via middleware, and a
 * subsegment per AWS SDK call of every client passed through `traced`. Off outside Lambda.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "trakt-list-sync" });

/** The AWS SDK v3 client, instrumented for X-Ray when tracing is on. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
