import { randomBytes } from "node:crypto";
import type { TokenGrant } from "./types.ts";

interface AccessToken {
  slug: string;
  createdAtMs: number;
  expiresInSeconds: number;
  revoked: boolean;
}

interface RefreshToken {
  slug: string;
  accessToken: string;
  used: boolean;
}

export type Authentication =
  | { ok: true; slug: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" };

export function randomToken(): string {
  return randomBytes(32).toString("hex");
}

/** Access and refresh tokens. Refresh tokens are single use; refreshing revokes the access token issued with them. */
export class TokenStore {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  issue(slug: string, nowMs: number, ttlSeconds: number): TokenGrant {
    const accessToken = randomToken();
    const refreshToken = randomToken();
    this.accessTokens.set(accessToken, {
      slug,
      createdAtMs: nowMs,
      expiresInSeconds: ttlSeconds,
      revoked: false,
    });
    this.refreshTokens.set(refreshToken, { slug, accessToken, used: false });
    return {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: ttlSeconds,
      refresh_token: refreshToken,
      scope: "public",
      created_at: Math.floor(nowMs / 1000),
    };
  }

  authenticate(token: string, nowMs: number): Authentication {
    const entry = this.accessTokens.get(token);
    if (!entry) return { ok: false, reason: "unknown" };
    if (entry.revoked) return { ok: false, reason: "revoked" };
    if (nowMs >= entry.createdAtMs + entry.expiresInSeconds * 1000) return { ok: false, reason: "expired" };
    return { ok: true, slug: entry.slug };
  }

  /** Exchanges a refresh token for a new pair, or undefined when it is unknown or already used. */
  refresh(refreshToken: string, nowMs: number, ttlSeconds: number): TokenGrant | undefined {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.used) return undefined;
    entry.used = true;
    this.revoke(entry.accessToken);
    return this.issue(entry.slug, nowMs, ttlSeconds);
  }

  /** Revokes an access token (or the access token issued with a refresh token). */
  revoke(token: string): void {
    const access = this.accessTokens.get(token);
    if (access) access.revoked = true;
    const refresh = this.refreshTokens.get(token);
    if (refresh) {
      refresh.used = true;
      this.revoke(refresh.accessToken);
    }
  }

  /** The user a still-usable refresh token belongs to (for statistics and fault matching only). */
  refreshTokenOwner(token: string): string | undefined {
    const entry = this.refreshTokens.get(token);
    return entry && !entry.used ? entry.slug : undefined;
  }

  /** Every token, for saving the sandbox's state (infra/local/trakt-sandbox/persistence.ts). */
  snapshot(): { access: [string, AccessToken][]; refresh: [string, RefreshToken][] } {
    return { access: [...this.accessTokens], refresh: [...this.refreshTokens] };
  }

  restore(saved: { access: [string, AccessToken][]; refresh: [string, RefreshToken][] }): void {
    for (const [token, entry] of saved.access) this.accessTokens.set(token, entry);
    for (const [token, entry] of saved.refresh) this.refreshTokens.set(token, entry);
  }

  /** Makes every access token of a user expired (refresh tokens keep working). */
  expireAll(slug: string): number {
    let count = 0;
    for (const entry of this.accessTokens.values()) {
      if (entry.slug !== slug) continue;
      entry.expiresInSeconds = 0;
      count += 1;
    }
    return count;
  }
}
