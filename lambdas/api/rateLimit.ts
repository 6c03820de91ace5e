import { envNames } from "#config/env.ts";
import { userLimits } from "#config/limits.ts";
import { getServices } from "#runtime/services.ts";
import { rateLimited } from "./http.ts";

/** API_RATE_LIMIT_PER_MINUTE per user, across every instance of the function: 429 with Retry-After beyond. */
export async function enforceRateLimit(userId: string): Promise<void> {
  const { apiRequestsPerMinute } = userLimits();
  const decision = await getServices().rateLimiter.hit(userId, apiRequestsPerMinute);
  if (decision.allowed) return;
  throw rateLimited(
    decision.retryAfterSeconds,
    `Too many requests: at most ${apiRequestsPerMinute} per minute (${envNames.apiRateLimitPerMinute})`,
    { name: envNames.apiRateLimitPerMinute, value: apiRequestsPerMinute },
  );
}
