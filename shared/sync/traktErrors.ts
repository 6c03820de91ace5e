/** A 420's headers: `X-Account-Limit` (the limit hit), `X-VIP-User`, `X-Upgrade-URL`. */
export interface AccountLimitHeaders {
  limit?: number;
  vip?: boolean;
  upgradeUrl?: string;
}

/** Trakt answered with a non-2xx status. */
export class TraktHttpError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly retryAfterSeconds: number | undefined;
  /** Parsed `X-Ratelimit` header, when Trakt sent one. */
  readonly rateLimit:
    | { name?: string; period?: number; limit?: number; remaining?: number; until?: string }
    | undefined;
  /** What a 420 said about the account limit in its headers, when it sent them. */
  readonly accountLimit: AccountLimitHeaders | undefined;
  /** OAuth error code (`invalid_grant`, …) when the body carried one. */
  readonly oauthError: string | undefined;
  readonly bodyText: string;

  constructor(init: {
    status: number;
    method: string;
    path: string;
    retryAfterSeconds?: number;
    rateLimit?: TraktHttpError["rateLimit"];
    accountLimit?: AccountLimitHeaders;
    oauthError?: string;
    bodyText: string;
  }) {
    super(`Trakt answered ${init.status} to ${init.method} ${init.path}`);
    this.name = "TraktHttpError";
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.rateLimit = init.rateLimit;
    this.accountLimit = init.accountLimit;
    this.oauthError = init.oauthError;
    this.bodyText = init.bodyText;
  }
}

/** The request never got an answer: timeout, refused or reset connection. */
export class TraktNetworkError extends Error {
  readonly method: string;
  readonly path: string;
  constructor(method: string, path: string, cause: unknown) {
    super(
      `No answer from Trakt to ${method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = "TraktNetworkError";
    this.method = method;
    this.path = path;
  }
}

/**
 * Trakt's answer broke one of our bounds (too large, too many pages, a redirect, a wait too long):
 * not retried at once; the list shows the message and SQS / the backfill try again later.
 */
export class TraktResponseRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TraktResponseRefusedError";
  }
}

/** A paged read whose pages did not add up to Trakt's `X-Pagination-Item-Count`: retried, never trusted. */
export class TraktIncompleteReadError extends Error {
  readonly method: string;
  readonly path: string;
  constructor(method: string, path: string, expected: number, received: number) {
    super(`Trakt said ${expected} items but its pages held ${received} (${method} ${path})`);
    this.name = "TraktIncompleteReadError";
    this.method = method;
    this.path = path;
  }
}

/** The user's Trakt authorization is gone (refresh token rejected, or 401 after a refresh). */
export class TraktAuthRequiredError extends Error {
  constructor(message = "Trakt access was revoked or expired; link Trakt again") {
    super(message);
    this.name = "TraktAuthRequiredError";
  }
}

/** The user never linked Trakt (or has not finished linking): nothing expired, there is simply no access yet. */
export class TraktNotLinkedError extends TraktAuthRequiredError {
  constructor() {
    super("Trakt is not linked for this user yet");
    this.name = "TraktNotLinkedError";
  }
}

/** Overload, edge and server errors that a later try may get past. */
export function isTransientTraktError(error: unknown): boolean {
  if (error instanceof TraktNetworkError || error instanceof TraktIncompleteReadError) return true;
  if (!(error instanceof TraktHttpError)) return false;
  return error.status >= 500 || error.status === 429;
}

/**
 * The user's next Trakt write slot is further away than a sync may wait: the sync stops and its
 * message comes back after `delayMs` (SQS visibility), instead of a Lambda sleeping until then.
 */
export class WriteDeferredError extends Error {
  readonly delayMs: number;
  constructor(delayMs: number) {
    super(`The next Trakt write slot is ${Math.round(delayMs / 1000)} s away; the sync continues later`);
    this.name = "WriteDeferredError";
    this.delayMs = delayMs;
  }
}
