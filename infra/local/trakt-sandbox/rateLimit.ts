import type { Reply } from "./http.ts";
import { jsonReply } from "./http.ts";
import type { GetLimit } from "./types.ts";

export interface RateLimitRejection {
  name: "AUTHED_API_POST_LIMIT" | "AUTHED_API_GET_LIMIT";
  period: number;
  limit: number;
  untilMs: number;
  nowMs: number;
}

/**
 * Per-user limits: writes at most one per `intervalMs` after the last accepted write; authenticated GETs at most
 * `limit` per sliding `periodSeconds`. A check that passes records the request; a rejected one changes nothing.
 */
export class RateLimiter {
  private readonly lastWriteAt = new Map<string, number>();
  private readonly getTimes = new Map<string, number[]>();

  checkWrite(slug: string, nowMs: number, intervalMs: number): RateLimitRejection | undefined {
    const last = this.lastWriteAt.get(slug);
    if (last !== undefined && nowMs - last < intervalMs) {
      const period = Math.max(1, Math.ceil(intervalMs / 1000));
      return { name: "AUTHED_API_POST_LIMIT", period, limit: 1, untilMs: last + intervalMs, nowMs };
    }
    this.lastWriteAt.set(slug, nowMs);
    return undefined;
  }

  checkGet(slug: string, nowMs: number, { limit, periodSeconds }: GetLimit): RateLimitRejection | undefined {
    const windowMs = periodSeconds * 1000;
    const recent = (this.getTimes.get(slug) ?? []).filter((at) => nowMs - at < windowMs);
    this.getTimes.set(slug, recent);
    if (recent.length >= limit) {
      const oldest = recent[0] ?? nowMs;
      return {
        name: "AUTHED_API_GET_LIMIT",
        period: periodSeconds,
        limit,
        untilMs: oldest + windowMs,
        nowMs,
      };
    }
    recent.push(nowMs);
    return undefined;
  }
}

export function rateLimitReply(rejection: RateLimitRejection): Reply {
  const retryAfter = Math.max(1, Math.ceil((rejection.untilMs - rejection.nowMs) / 1000));
  const limitHeader = {
    name: rejection.name,
    period: rejection.period,
    limit: rejection.limit,
    remaining: 0,
    until: new Date(rejection.untilMs).toISOString(),
  };
  return jsonReply(
    429,
    { error: "rate_limit_exceeded", error_description: `Rate limit exceeded, retry after ${retryAfter} s.` },
    { "Retry-After": String(retryAfter), "X-Ratelimit": JSON.stringify(limitHeader) },
  );
}
