import type { ListRecord } from "#domain/list.ts";
import type { RecordedFailure } from "#sync/ports.ts";

/** What unlinking and account deletion need of the users' records (the DynamoDB user repository). */
export interface AccountUsers {
  /** The user's Trakt tokens (undefined when not linked); throws when the link was revoked. */
  load(userId: string): Promise<{ accessToken: string } | undefined>;
  getProfile(userId: string): Promise<{ traktLinkState: string } | undefined>;
  /** Forgets the user's Trakt tokens and link. */
  unlink(userId: string): Promise<void>;
  /** Records the deletion and the lists whose Trakt lists must go first; false when there is no profile. */
  beginAccountDeletion(userId: string, pendingListIds: readonly string[]): Promise<boolean>;
  deleteUser(userId: string): Promise<void>;
}

/** What they need of the user's lists (the DynamoDB list repository). */
export interface AccountLists {
  listByUser(userId: string): Promise<ListRecord[]>;
  recordSyncFailure(userId: string, listId: string, failure: RecordedFailure, at: string): Promise<void>;
  markKeepTraktList(userId: string, listId: string): Promise<void>;
  delete(userId: string, listId: string): Promise<ListRecord | undefined>;
}

/** The Trakt call they make: revoking a token (`POST /oauth/revoke`). */
export interface TokenRevoker {
  revokeToken(token: string): Promise<void>;
}
