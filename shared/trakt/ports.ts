/** The ports of a user's Trakt session: where its tokens are kept, and the pacer of its writes (adapters implement them). */

export interface WritePacer {
  /**
   * Resolves when the caller may send one write for `key` (its turn); at most one per interval across all workers,
   * as Trakt sees them arrive. With `maxWaitMs`, a slot further away than that is not booked: it resolves at once to
   * how far away it is (the caller defers its work rather than wait).
   */
  acquire(key: string, options?: { maxWaitMs?: number }): Promise<WriteTurn>;
  /** Keeps every worker of `key` from writing for `ms` (after a 429); `widen` also widens their margin (Trakt's limiter answered). */
  holdOff(key: string, ms: number, options?: { widen?: boolean }): Promise<void>;
}

/** What `acquire` gives: the write's turn, or how far away it is when that is further than the caller waits. */
export type WriteTurn = { deferMs: number } | SendTurn;

/** A write's turn: send it now, then report how it went (the next write of the user may leave sooner). */
export interface SendTurn {
  deferMs?: undefined;
  /** Never throws: a report that cannot be stored leaves the next write where the turn put it. */
  sent(report: SendReport): Promise<void>;
}

/** When the write left (epoch ms), and how long until its answer or failure. */
export interface SendReport {
  leftAt: number;
  roundTripMs: number;
}

export interface StoredTraktAuth {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms, from Trakt's `created_at`. */
  issuedAt: number;
  /** Epoch ms, `created_at + expires_in`. */
  expiresAt: number;
  traktSlug: string;
}

export interface TraktAuthStore {
  /** The user's tokens; undefined when Trakt was never linked; throws TraktAuthRequiredError when the link was revoked. */
  load(userId: string): Promise<StoredTraktAuth | undefined>;
  /**
   * Refreshes the user's tokens once across all workers: takes the user's refresh lock, and if the
   * stored access token is still `staleAccessToken` calls `refresh` and stores the new pair with
   * the lock released in the same write; otherwise returns what another worker stored.
   */
  refreshSerialized(
    userId: string,
    staleAccessToken: string,
    refresh: (current: StoredTraktAuth) => Promise<StoredTraktAuth>,
  ): Promise<StoredTraktAuth>;
  markRelinkRequired(userId: string, reason: string): Promise<void>;
}
