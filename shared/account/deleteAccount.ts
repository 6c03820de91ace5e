import { revokeAtTrakt, type UnlinkDeps } from "./traktLink.ts";

export interface AccountDeletion {
  listsDeleted: number;
  /** `deleting`: the Trakt lists are being deleted; the tokens go once the last one is. */
  traktLists: "deleting" | "kept" | "none";
  tokens: "deleted" | "deleted_after_trakt_lists";
}

/**
 * `DELETE /account`: deletes every list (their items go with them, by the list-deleted function)
 * and the user's profile with the Trakt tokens. Unless `keepTraktLists`, the Trakt lists are deleted
 * too: that needs the tokens, so the profile records which lists are still pending and the
 * list-deleted function purges it (revoking the token at Trakt) once the last one is done.
 */
export async function deleteAccount(
  deps: UnlinkDeps,
  userId: string,
  options: { keepTraktLists: boolean },
): Promise<AccountDeletion> {
  const lists = await deps.lists.listByUser(userId);
  const linked = (await deps.users.getProfile(userId))?.traktLinkState === "linked";
  const waitForTrakt = linked && !options.keepTraktLists && lists.length > 0;
  const pending = waitForTrakt ? lists.map((list) => list.listId) : [];
  // Recorded before any list goes, so every list-deleted run finds the account deletion.
  const hasProfile = await deps.users.beginAccountDeletion(userId, pending);
  for (const list of lists) {
    if (options.keepTraktLists) await deps.lists.markKeepTraktList(userId, list.listId);
    await deps.lists.delete(userId, list.listId);
  }
  if (!(waitForTrakt && hasProfile)) await purgeUser(deps, userId);
  return {
    listsDeleted: lists.length,
    traktLists: options.keepTraktLists ? "kept" : waitForTrakt ? "deleting" : "none",
    tokens: waitForTrakt && hasProfile ? "deleted_after_trakt_lists" : "deleted",
  };
}

/** The last step: revoke at Trakt and delete the profile (tokens) and the directory entry. Idempotent. */
export async function purgeUser(deps: UnlinkDeps, userId: string): Promise<void> {
  await revokeAtTrakt(deps, userId);
  await deps.users.deleteUser(userId);
}
