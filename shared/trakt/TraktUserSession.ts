import type { RemoteEntry } from "#domain/remoteEntry.ts";
import {
  isTransientTraktError,
  TraktAuthRequiredError,
  TraktHttpError,
  TraktNotLinkedError,
  WriteDeferredError,
} from "#sync/traktErrors.ts";
import type { NewTraktList, TraktItemsBody, TraktList, TraktSession } from "#sync/traktSession.ts";
import type { SendTurn, StoredTraktAuth, TraktAuthStore, WritePacer } from "./ports.ts";
import { storedAuthFrom } from "./storedAuth.ts";
import type { TraktClient } from "./TraktClient.ts";

export interface RetryPolicy {
  /** Tries per call for transient errors (5xx, network) and 429s. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Refresh when the access token has less than this left. */
  refreshAheadMs: number;
  /** A 429 asking for a longer wait is not waited out here: the call fails and is retried later. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  refreshAheadMs: 60 * 60 * 1000,
  maxRetryAfterMs: 60_000,
};

interface TraktUserSessionDeps {
  client: TraktClient;
  auth: TraktAuthStore;
  pacer: WritePacer;
  userId: string;
  retry?: Partial<RetryPolicy>;
  /** A write whose slot is further away than this defers the sync (WriteDeferredError); default never. */
  maxSlotWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

type CallKind = "read" | "write" | "write-once";

/**
 * One user's view of Trakt: a valid access token (refreshed ahead of expiry and once on 401,
 * serialized across workers), writes paced to the user's shared one-per-second budget, 429s
 * waited out as Trakt says, transient failures retried with bounded exponential backoff and jitter.
 */
export class TraktUserSession implements TraktSession {
  private readonly deps: TraktUserSessionDeps;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private auth: StoredTraktAuth | undefined;
  /** The tokens' load started by `loadAuthAhead`, taken by the first call. */
  private authAhead: Promise<StoredTraktAuth | undefined> | undefined;

  constructor(deps: TraktUserSessionDeps) {
    this.deps = deps;
    this.policy = { ...defaultRetryPolicy, ...deps.retry };
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
    this.now = deps.now ?? Date.now;
  }

  getLists(): Promise<TraktList[]> {
    return this.call("read", (token) => this.deps.client.getLists(token));
  }

  getAllListItems(traktListId: number): Promise<RemoteEntry[]> {
    return this.call("read", (token) => this.deps.client.getAllListItems(token, traktListId));
  }

  getSettings() {
    return this.call("read", (token) => this.deps.client.getSettings(token));
  }

  /** Not retried on transient errors: Trakt may have created it; the caller looks before trying again. */
  createList(list: NewTraktList): Promise<TraktList> {
    return this.call("write-once", (token) => this.deps.client.createList(token, list));
  }

  updateList(traktListId: number, changes: Partial<NewTraktList>): Promise<TraktList> {
    return this.call("write", (token) => this.deps.client.updateList(token, traktListId, changes));
  }

  deleteList(traktListId: number): Promise<void> {
    return this.call("write", (token) => this.deps.client.deleteList(token, traktListId));
  }

  /** Adding is idempotent on Trakt (already listed titles come back as `existing`), so it is retried. */
  addItems(traktListId: number, items: TraktItemsBody) {
    return this.call("write", (token) => this.deps.client.addItems(token, traktListId, items));
  }

  removeItems(traktListId: number, items: TraktItemsBody) {
    return this.call("write", (token) => this.deps.client.removeItems(token, traktListId, items));
  }

  reorderItems(traktListId: number, listItemIds: number[]) {
    return this.call("write", (token) => this.deps.client.reorderItems(token, traktListId, listItemIds));
  }

  private async call<T>(kind: CallKind, send: (accessToken: string) => Promise<T>): Promise<T> {
    let refreshedOn401 = false;
    for (let attempt = 1; ; attempt++) {
      let auth = await this.currentAuth();
      const pacerKey = `trakt:${auth.traktSlug}`;
      let turn: SendTurn | undefined;
      if (kind !== "read") {
        const slot = await this.deps.pacer.acquire(pacerKey, {
          maxWaitMs: this.deps.maxSlotWaitMs ?? Infinity,
        });
        if (slot.deferMs !== undefined) throw new WriteDeferredError(slot.deferMs);
        turn = slot;
        // The wait for the slot may have outlived the token: check it again right before sending.
        auth = await this.currentAuth();
      }
      try {
        return await this.reported(turn, () => send(auth.accessToken));
      } catch (error) {
        if (error instanceof TraktHttpError && error.status === 401) {
          if (refreshedOn401) throw new TraktAuthRequiredError();
          refreshedOn401 = true;
          this.auth = await this.refresh(auth);
          attempt--;
          continue;
        }
        const retryable = isTransientTraktError(error) && !(kind === "write-once" && !is429(error));
        if (!retryable || attempt >= this.policy.maxAttempts) throw error;
        const waitMs = this.delayFor(error, attempt);
        if (is429(error) && kind !== "read")
          await this.deps.pacer.holdOff(pacerKey, waitMs, { widen: isFromTraktsLimiter(error) });
        if (waitMs > this.policy.maxRetryAfterMs) throw error;
        await this.sleep(waitMs);
      }
    }
  }

  /** Sends; a write then reports to the pacer when it left and how long its answer took (before any hold-off). */
  private async reported<T>(turn: SendTurn | undefined, send: () => Promise<T>): Promise<T> {
    if (!turn) return send();
    const leftAt = this.now();
    try {
      return await send();
    } finally {
      await turn.sent({ leftAt, roundTripMs: this.now() - leftAt });
    }
  }

  /**
   * A 429 from Trakt's limiter: until `X-Ratelimit.until` (when the next write may arrive; a write sent then
   * arrives later), else `Retry-After` (whole seconds). Anything else: exponential backoff with full jitter, bounded.
   */
  private delayFor(error: unknown, attempt: number): number {
    if (error instanceof TraktHttpError && error.status === 429) {
      const retryAfterMs =
        error.retryAfterSeconds === undefined ? undefined : Math.max(error.retryAfterSeconds * 1000, 1000);
      const until = Date.parse(error.rateLimit?.until ?? "");
      if (Number.isFinite(until)) {
        return Math.min(retryAfterMs ?? this.policy.maxDelayMs, Math.max(minUntilWaitMs, until - this.now()));
      }
      if (retryAfterMs !== undefined) return retryAfterMs;
    }
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /**
   * Starts reading the user's tokens now, so the first call does not wait for them: the caller's own reads (the
   * list, its items) run meanwhile. A failed load is thrown by the first call, as a load made then would be.
   */
  loadAuthAhead(): void {
    if (this.auth || this.authAhead) return;
    this.authAhead = this.deps.auth.load(this.deps.userId);
    this.authAhead.catch(() => undefined);
  }

  private async currentAuth(): Promise<StoredTraktAuth> {
    if (!this.auth) {
      const ahead = this.authAhead;
      this.authAhead = undefined;
      this.auth = await (ahead ?? this.deps.auth.load(this.deps.userId));
      if (!this.auth) throw new TraktNotLinkedError();
    }
    const { expiresAt, issuedAt } = this.auth;
    const refreshAhead = Math.min(this.policy.refreshAheadMs, (expiresAt - issuedAt) / 5);
    if (expiresAt - this.now() < refreshAhead) this.auth = await this.refresh(this.auth);
    return this.auth;
  }

  private async refresh(stale: StoredTraktAuth): Promise<StoredTraktAuth> {
    const { auth, client, userId } = this.deps;
    return auth.refreshSerialized(userId, stale.accessToken, async (current) => {
      try {
        return storedAuthFrom(await client.refreshToken(current.refreshToken), current.traktSlug);
      } catch (error) {
        if (
          error instanceof TraktHttpError &&
          (error.oauthError === "invalid_grant" || error.status === 401)
        ) {
          await auth.markRelinkRequired(userId, "Trakt rejected the refresh token");
          throw new TraktAuthRequiredError();
        }
        throw error;
      }
    });
  }
}

/** Least wait after a 429 whose `until` has (by our clock) already passed. */
const minUntilWaitMs = 100;

/** A 429 of Trakt's own rate limiter (it says when to come back), not a header-less one from the edge. */
function isFromTraktsLimiter(error: unknown): boolean {
  return (
    error instanceof TraktHttpError &&
    error.status === 429 &&
    (error.rateLimit !== undefined || error.retryAfterSeconds !== undefined)
  );
}

function is429(error: unknown): boolean {
  return error instanceof TraktHttpError && error.status === 429;
}
