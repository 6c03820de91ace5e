import { TraktAuthRequiredError } from "#sync/traktErrors.ts";
import type { StoredTraktAuth, TraktAuthStore, WritePacer } from "./ports.ts";
import type { TraktClient } from "./TraktClient.ts";
import { type RetryPolicy, TraktUserSession } from "./TraktUserSession.ts";

/**
 * A session over tokens Trakt has just handed over, before we know whose account they are: the same
 * retry policy as every other Trakt call, for reads such as `GET /users/settings`. Tokens this fresh
 * are never refreshed; a 401 means the link did not work.
 */
export function newTokenSession(deps: {
  client: TraktClient;
  pacer: WritePacer;
  userId: string;
  tokens: Omit<StoredTraktAuth, "traktSlug">;
  retry: Partial<RetryPolicy>;
}): TraktUserSession {
  const auth: StoredTraktAuth = { ...deps.tokens, traktSlug: "(not confirmed yet)" };
  const store: TraktAuthStore = {
    load: async () => auth,
    refreshSerialized: async () => {
      throw new TraktAuthRequiredError("Trakt did not accept the tokens it has just issued");
    },
    markRelinkRequired: async () => undefined,
  };
  return new TraktUserSession({ ...deps, auth: store });
}
