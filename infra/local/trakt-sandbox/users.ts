import { httpError } from "./http.ts";
import type { SandboxUser } from "./model.ts";
import type { Runtime } from "./state.ts";
import type { CreateUserOptions, TraktUserJson, UserLimits } from "./types.ts";

const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function validateSlug(slug: unknown): string {
  if (typeof slug !== "string" || !SLUG_PATTERN.test(slug) || slug === "me" || slug === "settings") {
    throw httpError(400, "bad_request", "slug must be lower-case letters, digits, '-' or '_' (not 'me')");
  }
  return slug;
}

/** Returns the user, creating it when absent; given `vip`/`limits` update an existing user. */
export function ensureUser(runtime: Runtime, slug: string, options: CreateUserOptions = {}): SandboxUser {
  const { users } = runtime.state;
  let user = users.get(validateSlug(slug));
  if (!user) {
    user = {
      slug,
      name: slug,
      vip: options.vip ?? false,
      limits: { ...runtime.config.defaultLimits },
      joinedAt: runtime.now(),
      lists: [],
    };
    users.set(slug, user);
  }
  if (options.vip !== undefined) user.vip = options.vip;
  if (options.limits) setLimits(user, options.limits);
  return user;
}

export function setLimits(user: SandboxUser, limits: Partial<UserLimits>): void {
  user.limits = { ...user.limits, ...definedLimits(limits) };
}

export function parseLimits(value: unknown): Partial<UserLimits> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null)
    throw httpError(400, "bad_request", "limits must be an object");
  const limits = value as Record<string, unknown>;
  const parsed: Partial<UserLimits> = {};
  for (const key of ["listCount", "itemCount"] as const) {
    const entry = limits[key];
    if (entry === undefined) continue;
    if (typeof entry !== "number" || !Number.isInteger(entry) || entry < 0) {
      throw httpError(400, "bad_request", `${key} must be a non-negative integer`);
    }
    parsed[key] = entry;
  }
  return parsed;
}

function definedLimits(limits: Partial<UserLimits>): Partial<UserLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}

export function findUser(runtime: Runtime, slug: string): SandboxUser | undefined {
  return runtime.state.users.get(slug);
}

export function userJson(user: SandboxUser): TraktUserJson {
  return {
    username: user.slug,
    private: false,
    name: user.name,
    vip: user.vip,
    vip_ep: false,
    ids: { slug: user.slug },
  };
}

export function settingsJson(user: SandboxUser) {
  return {
    user: { ...userJson(user), joined_at: new Date(user.joinedAt).toISOString() },
    account: { timezone: "UTC", date_format: "dmy", time_24hr: true, cover_image: null, vip: user.vip },
    connections: {},
    sharing_text: {},
    limits: {
      list: { count: user.limits.listCount, item_count: user.limits.itemCount },
      watchlist: { item_count: user.limits.itemCount },
    },
  };
}
