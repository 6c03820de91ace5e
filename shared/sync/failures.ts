import type { AccountLimitInfo } from "#domain/list.ts";
import type { SyncFailure } from "./ports.ts";
import {
  TraktAuthRequiredError,
  TraktHttpError,
  TraktIncompleteReadError,
  TraktNetworkError,
  TraktNotLinkedError,
} from "./traktErrors.ts";

/** Another worker holds the list's creation lease; try again in a moment. */
export class ListBusyError extends Error {
  constructor(listId: string) {
    super(`Another worker is creating the Trakt list for ${listId}`);
    this.name = "ListBusyError";
  }
}

/** Trakt's list-count limit is reached: creating a list is refused; never retried blindly. */
export class ListCountLimitError extends Error {
  readonly listCount: number | undefined;
  readonly limit: AccountLimitInfo;
  constructor(
    listCount: number | undefined,
    account: { vip?: boolean; upgradeUrl?: string; wanted?: number } = {},
  ) {
    super(listCountMessage(listCount, account));
    this.name = "ListCountLimitError";
    this.listCount = listCount;
    this.limit = {
      ...(listCount !== undefined ? { listCount } : {}),
      pushed: 0,
      wanted: account.wanted ?? 0,
      ...(account.vip !== undefined ? { vip: account.vip } : {}),
      ...(account.upgradeUrl !== undefined ? { upgradeUrl: account.upgradeUrl } : {}),
    };
  }
}

function listCountMessage(listCount: number | undefined, account: { vip?: boolean; upgradeUrl?: string }) {
  const then = "this list is created as soon as there is room.";
  if (listCount === undefined)
    return `Trakt refused to create another list: the account's list limit is reached. Delete a list on Trakt or upgrade; ${then}`;
  if (account.vip)
    return `Trakt allows ${listCount} lists even on your VIP account and all are in use. Delete a list on Trakt; ${then}`;
  const upgrade = account.upgradeUrl ? `upgrade to VIP at ${account.upgradeUrl}` : "upgrade";
  return `Trakt allows ${listCount} lists on this account and all are in use. Delete a list on Trakt or ${upgrade}; ${then}`;
}

/** Trakt answered 409 (the list exists) to a create, yet no Trakt list carries our marker. */
export class ListConflictError extends Error {
  constructor() {
    super(
      "Trakt says the list already exists, but none of your Trakt lists carries this list's marker. Retrying automatically.",
    );
    this.name = "ListConflictError";
  }
}

/** The list was deleted while we worked on it; nothing to retry or record. */
export class ListGoneError extends Error {
  constructor(listId: string) {
    super(`List ${listId} was deleted meanwhile`);
    this.name = "ListGoneError";
  }
}

/** The sync kept finding differences after applying its changes. */
export class NotConvergedError extends Error {
  constructor(passes: number) {
    super(`Trakt list still differed after ${passes} passes`);
    this.name = "NotConvergedError";
  }
}

/** What a rule decides about an error it matches. */
type Verdict = Omit<SyncFailure, "limit">;

/** One row of the table: the errors it matches, and what they mean for the list and the queue. */
interface Rule {
  matches(error: unknown): boolean;
  verdict(error: unknown): SyncFailure;
}

/** A rule for the errors of one class. */
function whenError<E extends Error>(
  type: abstract new (...args: never[]) => E,
  verdict: (error: E) => SyncFailure,
): Rule {
  return { matches: (error) => error instanceof type, verdict: (error) => verdict(error as E) };
}

/** A rule for Trakt's answers whose status passes `status`. */
function whenHttp(status: (status: number) => boolean, verdict: (error: TraktHttpError) => Verdict): Rule {
  return {
    matches: (error) => error instanceof TraktHttpError && status(error.status),
    verdict: (error) => verdict(error as TraktHttpError),
  };
}

/** The one message for authorization that is gone (revoked, expired, or a 401 after refreshing). */
const relinkVerdict: Verdict = {
  state: "auth_required",
  code: "trakt_auth_required",
  message:
    "Trakt access expired or was revoked. Link your Trakt account again; the list syncs by itself afterwards.",
  retry: false,
  record: true,
};

/** A failure the queue retries, shown on the list meanwhile. */
const retried = (code: string, message: string): Verdict => ({
  state: "failed",
  code,
  message,
  retry: true,
  record: true,
});

/** The table, first match wins (TraktNotLinkedError is a TraktAuthRequiredError, so it comes first). */
const rules: readonly Rule[] = [
  whenError(TraktNotLinkedError, () => ({
    state: "auth_required",
    code: "trakt_not_linked",
    message:
      "Trakt is not linked yet. Link your Trakt account: POST /trakt/device-code, enter the code it gives at its verificationUrl, then poll POST /trakt/device-token. The list syncs by itself afterwards.",
    retry: false,
    record: true,
  })),
  whenError(TraktAuthRequiredError, () => relinkVerdict),
  whenError(ListCountLimitError, (error) => ({
    state: "limited",
    code: "trakt_list_count_limit",
    message: error.message,
    retry: false,
    record: true,
    limit: error.limit,
  })),
  whenHttp(
    (status) => status === 423,
    () => ({
      state: "account_locked",
      code: "trakt_account_locked",
      message:
        "Trakt reports your account as locked or deactivated. Unlock it on trakt.tv; syncing resumes afterwards.",
      retry: false,
      record: true,
    }),
  ),
  whenHttp(
    (status) => status === 426,
    () => ({
      state: "vip_required",
      code: "trakt_vip_required",
      message: "Trakt requires a VIP account for this. Upgrade on trakt.tv or make the list smaller.",
      retry: false,
      record: true,
    }),
  ),
  whenHttp(
    (status) => status === 429,
    () =>
      retried(
        "trakt_rate_limited",
        "Trakt is rate limiting this account. The sync will continue automatically.",
      ),
  ),
  whenHttp(
    (status) => status === 401,
    () => relinkVerdict,
  ),
  whenHttp(
    (status) => status === 403,
    () =>
      retried(
        "trakt_forbidden",
        "Trakt refused this app (HTTP 403). The operator must check the Trakt API credentials.",
      ),
  ),
  whenHttp(
    (status) => status >= 500,
    (error) =>
      retried(
        "trakt_unavailable",
        `Trakt is unavailable right now (HTTP ${error.status}). The sync will be retried automatically.`,
      ),
  ),
  whenHttp(
    () => true,
    (error) =>
      retried(
        "trakt_rejected",
        `Trakt rejected a request (HTTP ${error.status} on ${error.method} ${error.path}). It will be retried automatically.`,
      ),
  ),
  whenError(TraktIncompleteReadError, () =>
    retried(
      "trakt_incomplete_read",
      "Trakt kept sending an incomplete copy of the list. The sync will be retried automatically.",
    ),
  ),
  whenError(ListConflictError, (error) => retried("trakt_list_conflict", error.message)),
  whenError(TraktNetworkError, () =>
    retried("trakt_unreachable", "Trakt did not answer in time. The sync will be retried automatically."),
  ),
  whenError(ListGoneError, (error) => ({
    state: "failed",
    code: "list_gone",
    message: error.message,
    retry: false,
    record: false,
  })),
  whenError(ListBusyError, (error) => ({
    state: "failed",
    code: "list_busy",
    message: `${error.message}. Retrying.`,
    retry: true,
    record: false,
  })),
  whenError(NotConvergedError, (error) =>
    retried("sync_retrying", `${error.message}. Retrying automatically.`),
  ),
];

const unexpected = retried(
  "internal_error",
  "The sync failed unexpectedly. It will be retried automatically.",
);

/** Turns whatever stopped a sync into the list's state and a message for the user (the first rule that matches). */
export function classifyFailure(error: unknown): SyncFailure {
  return rules.find((rule) => rule.matches(error))?.verdict(error) ?? unexpected;
}
