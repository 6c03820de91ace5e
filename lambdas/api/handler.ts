import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { logger, tracer } from "#observability/observability.ts";
import { ApiError, type ApiEvent, type ApiResult, errorResult } from "./http.ts";
import { enforceRateLimit } from "./rateLimit.ts";
import { routeHandlers } from "./routeHandlers.ts";

/** Dispatches on the route API Gateway matched; unknown routes arrive as `$default` and answer 404. */
async function dispatch(event: ApiEvent, _context: Context): Promise<ApiResult> {
  const route = routeHandlers[event.routeKey];
  if (!route) {
    const { method, path } = event.requestContext.http;
    throw new ApiError(404, "not_found", `No route ${method} ${path}`);
  }
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  if (typeof sub === "string") {
    logger.appendKeys({ userId: sub });
    await enforceRateLimit(sub);
  }
  if (event.pathParameters?.id) logger.appendKeys({ listId: event.pathParameters.id });
  return route(event);
}

/** ApiErrors become their JSON answer; anything else is logged and answered with a plain 500. */
const apiErrors: middy.MiddlewareObj<ApiEvent, ApiResult> = {
  onError: async (request) => {
    const { error } = request;
    if (error instanceof ApiError) {
      if (error.status >= 500) logger.error("Request failed", { error });
      request.response = errorResult(error);
      return;
    }
    logger.error("Unhandled error", { error, routeKey: request.event.routeKey });
    request.response = errorResult(
      new ApiError(500, "internal_error", "Something went wrong; please try again"),
    );
  },
};

export const handler = middy<ApiEvent, ApiResult>(dispatch)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(apiErrors);
