import type { StoredTraktAuth } from "./ports.ts";
import type { TraktTokenResponse } from "./types.ts";

/** What we store of a Trakt token answer: expiry is `created_at + expires_in`, as Trakt documents. */
export function storedAuthFrom(
  tokens: Pick<TraktTokenResponse, "access_token" | "refresh_token" | "created_at" | "expires_in">,
  traktSlug: string,
): StoredTraktAuth {
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    issuedAt: tokens.created_at * 1000,
    expiresAt: (tokens.created_at + tokens.expires_in) * 1000,
    traktSlug,
  };
}
