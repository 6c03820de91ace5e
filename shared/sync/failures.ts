import type { AccountLimitInfo, SyncState } from "#domain/list.ts";
import {
  TraktAuthRequiredError,
  TraktHttpError,
  TraktIncompleteReadError,
  TraktNetworkError,
  TraktNotLinkedError,
} from "./traktErrors.ts";

export interface ClassifiedFailure {
  state: Exclude<SyncState, "synced" | "pending" | "syncing">;
  code: string;
  /** Words a user understands: what happened and what happens next. */
  message: string;
  /** Whether the message should go back to the queue (SQS redelivery, then DLQ, then backfill). */
  retry: boolean;
  /**
   * Whether to show it on the list. Contention with another worker is not: that worker records the
   * real outcome, and "busy" must not hide it.
   */
  record: boolean;
  /** The account limit to show on the list, when one stopped it. */
  limit?: AccountLimitInfo;
}

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

/** Turns whatever stopped a sync into the list's state and a message for the user. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof TraktNotLinkedError) {
    return {
      state: "auth_required",
      code: "trakt_not_linked",
      message:
        "Trakt is not linked yet. Link your Trakt account: POST /trakt/device-code, enter the code it gives at its verificationUrl, then poll POST /trakt/device-token. The list syncs by itself afterwards.",
      retry: false,
      record: true,
    };
  }
  if (error instanceof TraktAuthRequiredError) {
    return {
      state: "auth_required",
      code: "trakt_auth_required",
      message:
        "Trakt access expired or was revoked. Link your Trakt account again; the list syncs by itself afterwards.",
      retry: false,
      record: true,
    };
  }
  if (error instanceof ListCountLimitError) {
    return {
      state: "limited",
      code: "trakt_list_count_limit",
      message: error.message,
      retry: false,
      record: true,
      limit: error.limit,
    };
  }
  if (error instanceof TraktHttpError) return classifyHttp(error);
  if (error instanceof TraktIncompleteReadError) {
    return {
      state: "failed",
      code: "trakt_incomplete_read",
      message: "Trakt kept sending an incomplete copy of the list. The sync will be retried automatically.",
      retry: true,
      record: true,
    };
  }
  if (error instanceof ListConflictError) {
    return {
      state: "failed",
      code: "trakt_list_conflict",
      message: error.message,
      retry: true,
      record: true,
    };
  }
  if (error instanceof TraktNetworkError) {
    return {
      state: "failed",
      code: "trakt_unreachable",
      message: "Trakt did not answer in time. The sync will be retried automatically.",
      retry: true,
      record: true,
    };
  }
  if (error instanceof ListGoneError) {
    return { state: "failed", code: "list_gone", message: error.message, retry: false, record: false };
  }
  if (error instanceof ListBusyError) {
    return {
      state: "failed",
      code: "list_busy",
      message: `${error.message}. Retrying.`,
      retry: true,
      record: false,
    };
  }
  if (error instanceof NotConvergedError) {
    return {
      state: "failed",
      code: "sync_retrying",
      message: `${error.message}. Retrying automatically.`,
      retry: true,
      record: true,
    };
  }
  return {
    state: "failed",
    code: "internal_error",
    message: "The sync failed unexpectedly. It will be retried automatically.",
    retry: true,
    record: true,
  };
}

function classifyHttp(error: TraktHttpError): ClassifiedFailure {
  const { status } = error;
  if (status === 423) {
    return {
      state: "account_locked",
      code: "trakt_account_locked",
      message:
        "Trakt reports your account as locked or deactivated. Unlock it on trakt.tv; syncing resumes afterwards.",
      retry: false,
      record: true,
    };
  }
  if (status === 426) {
    return {
      state: "vip_required",
      code: "trakt_vip_required",
      message: "Trakt requires a VIP account for this. Upgrade on trakt.tv or make the list smaller.",
      retry: false,
      record: true,
    };
  }
  if (status === 429) {
    return {
      state: "failed",
      code: "trakt_rate_limited",
      message: "Trakt is rate limiting this account. The sync will continue automatically.",
      retry: true,
      record: true,
    };
  }
  if (status === 401 || status === 403) {
    return {
      state: status === 401 ? "auth_required" : "failed",
      code: status === 401 ? "trakt_auth_required" : "trakt_forbidden",
      message:
        status === 401
          ? "Trakt access expired or was revoked. Link your Trakt account again; the list syncs by itself afterwards."
          : "Trakt refused this app (HTTP 403). The operator must check the Trakt API credentials.",
      retry: status === 403,
      record: true,
    };
  }
  if (status >= 500) {
    return {
      state: "failed",
      code: "trakt_unavailable",
      message: `Trakt is unavailable right now (HTTP ${status}). The sync will be retried automatically.`,
      retry: true,
      record: true,
    };
  }
  return {
    state: "failed",
    code: "trakt_rejected",
    message: `Trakt rejected a request (HTTP ${status} on ${error.method} ${error.path}). It will be retried automatically.`,
    retry: true,
    record: true,
  };
}
