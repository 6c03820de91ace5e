import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/** Structured JSON logs; handlers append `listId` and `userId` to every line about a list. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "trakt-list-sync" });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "TraktListSync",
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "trakt-list-sync",
});
