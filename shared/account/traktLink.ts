import type { AccountLists, AccountUsers, TokenRevoker } from "./ports.ts";

export interface UnlinkDeps {
  users: AccountUsers;
  lists: AccountLists;
  trakt(): Promise<TokenRevoker>;
  log?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * Revokes the user's token at Trakt (`POST /oauth/revoke`), best effort: the token is forgotten here
 * either way, so an unreachable Trakt cannot keep a user linked against their will. True when Trakt
 * confirmed the revocation.
 */
export async function revokeAtTrakt(deps: UnlinkDeps, userId: string): Promise<boolean> {
  let auth: Awaited<ReturnType<AccountUsers["load"]>>;
  try {
    auth = await deps.users.load(userId);
  } catch (error) {
    deps.log?.("Stored Trakt token could not be read; forgetting it without revoking", { userId, error });
    return false;
  }
  if (!auth) return false;
  try {
    await (await deps.trakt()).revokeToken(auth.accessToken);
    return true;
  } catch (error) {
    deps.log?.("Trakt did not confirm the token revocation; the token is forgotten anyway", {
      userId,
      error,
    });
    return false;
  }
}

/** `DELETE /trakt/link`: revoke at Trakt, forget the tokens, and every list waits for a new link. */
export async function unlinkTrakt(
  deps: UnlinkDeps,
  userId: string,
  now = new Date(),
): Promise<{ revokedAtTrakt: boolean; listsAffected: number }> {
  const revokedAtTrakt = await revokeAtTrakt(deps, userId);
  await deps.users.unlink(userId);
  const lists = await deps.lists.listByUser(userId);
  for (const list of lists) {
    await deps.lists.recordSyncFailure(
      userId,
      list.listId,
      {
        state: "auth_required",
        code: "trakt_unlinked",
        message: "Trakt was unlinked from this account; link Trakt again to resume syncing this list",
      },
      now.toISOString(),
    );
  }
  return { revokedAtTrakt, listsAffected: lists.length };
}
