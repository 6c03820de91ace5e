import { describe, expect, it } from "vitest";
import {
  classifyFailure,
  ListBusyError,
  ListConflictError,
  ListCountLimitError,
  ListGoneError,
  NotConvergedError,
} from "#sync/failures.ts";
import type { SyncFailure } from "#sync/ports.ts";
import {
  TraktAuthRequiredError,
  TraktHttpError,
  TraktIncompleteReadError,
  TraktNetworkError,
  TraktNotLinkedError,
} from "#sync/traktErrors.ts";

function httpError(status: number): TraktHttpError {
  return new TraktHttpError({ status, method: "POST", path: "/users/me/lists/7/items", bodyText: "" });
}

interface Case {
  /** What the test says about the classification. */
  name: string;
  error: unknown;
  expected: Partial<SyncFailure>;
  /** Patterns the message matches (a string: contains it). */
  says?: (string | RegExp)[];
  /** Patterns it must not match. */
  saysNot?: (string | RegExp)[];
}

const retried = { state: "failed", retry: true, record: true } as const;

const cases: Case[] = [
  {
    name: "asks the user to link Trakt again when authorization is gone, without retrying",
    error: new TraktAuthRequiredError(),
    expected: { state: "auth_required", code: "trakt_auth_required", retry: false, record: true },
    says: [/link your trakt account again/i],
  },
  {
    name: "tells a user who never linked Trakt that it is not linked yet, and how to link it",
    error: new TraktNotLinkedError(),
    expected: { state: "auth_required", code: "trakt_not_linked", retry: false },
    says: [/not linked yet/i, "POST /trakt/device-code"],
    saysNot: [/expired|revoked/i],
  },
  {
    name: "treats HTTP 401 like revoked authorization",
    error: httpError(401),
    expected: { state: "auth_required", code: "trakt_auth_required", retry: false, record: true },
    says: [/link your trakt account again/i],
  },
  {
    name: "marks the account locked on HTTP 423 and does not retry",
    error: httpError(423),
    expected: { state: "account_locked", code: "trakt_account_locked", retry: false, record: true },
    says: [/locked/i],
  },
  {
    name: "asks for VIP on HTTP 426 and does not retry",
    error: httpError(426),
    expected: { state: "vip_required", code: "trakt_vip_required", retry: false, record: true },
    says: [/VIP/],
  },
  {
    name: "retries when Trakt rate limits (HTTP 429)",
    error: httpError(429),
    expected: { ...retried, code: "trakt_rate_limited" },
  },
  ...[500, 502, 503, 504, 520, 522].map((status) => ({
    name: `retries when Trakt is unavailable (HTTP ${status})`,
    error: httpError(status),
    expected: { ...retried, code: "trakt_unavailable" },
    says: [`HTTP ${status}`],
  })),
  {
    name: "retries an HTTP 403 but tells the operator to check the app's credentials",
    error: httpError(403),
    expected: { ...retried, code: "trakt_forbidden" },
    says: [/credentials/],
  },
  ...[400, 404, 409, 422].map((status) => ({
    name: `reports other refusals such as HTTP ${status} as rejected, naming the request`,
    error: httpError(status),
    expected: { ...retried, code: "trakt_rejected" },
    says: [`HTTP ${status} on POST /users/me/lists/7/items`],
  })),
  {
    name: "retries when Trakt does not answer at all",
    error: new TraktNetworkError("GET", "/users/me/lists", new Error("socket hang up")),
    expected: { ...retried, code: "trakt_unreachable" },
  },
  {
    name: "retries a read that Trakt kept sending incomplete",
    error: new TraktIncompleteReadError("GET", "/users/me/lists/7/items?page=1&limit=250", 300, 150),
    expected: { ...retried, code: "trakt_incomplete_read" },
  },
  {
    name: "marks the list limited on Trakt's list-count limit and does not retry blindly",
    error: new ListCountLimitError(5),
    expected: { state: "limited", code: "trakt_list_count_limit", retry: false, record: true },
    says: ["5 lists"],
  },
  {
    name: "explains the list-count limit without a number when Trakt did not say it",
    error: new ListCountLimitError(undefined),
    expected: { state: "limited" },
    says: [/list limit is reached/],
  },
  {
    name: "puts the list-count limit, VIP flag and upgrade URL on the list",
    error: new ListCountLimitError(5, { vip: false, upgradeUrl: "https://trakt.tv/vip", wanted: 40 }),
    expected: {
      limit: { listCount: 5, pushed: 0, wanted: 40, vip: false, upgradeUrl: "https://trakt.tv/vip" },
    },
    says: ["https://trakt.tv/vip"],
  },
  {
    name: "retries (through the queue, looking first) a 409 whose list carries no marker of ours",
    error: new ListConflictError(),
    expected: { ...retried, code: "trakt_list_conflict" },
  },
  {
    name: "neither retries nor records a list deleted meanwhile",
    error: new ListGoneError("list-1"),
    expected: { code: "list_gone", retry: false, record: false },
  },
  {
    name: "retries contention with another worker without recording it on the list",
    error: new ListBusyError("list-1"),
    expected: { code: "list_busy", retry: true, record: false },
  },
  {
    name: "retries and records a sync that did not converge",
    error: new NotConvergedError(5),
    expected: { ...retried, code: "sync_retrying" },
    says: ["5 passes"],
  },
  ...[
    ["a plain Error", new Error("boom")],
    ["a thrown string", "boom"],
    ["undefined", undefined],
  ].map(([what, error]) => ({
    name: `retries an unexpected failure (${String(what)}) without leaking its details`,
    error,
    expected: { ...retried, code: "internal_error" },
    saysNot: ["boom"],
  })),
];

describe("classifyFailure", () => {
  for (const { name, error, expected, says = [], saysNot = [] } of cases) {
    it(name, () => {
      // Act
      const failure = classifyFailure(error);

      // Assess
      expect(failure).toMatchObject(expected);
      if (expected.limit) expect(failure.limit).toEqual(expected.limit);
      for (const pattern of says)
        if (typeof pattern === "string") expect(failure.message).toContain(pattern);
        else expect(failure.message).toMatch(pattern);
      for (const pattern of saysNot)
        if (typeof pattern === "string") expect(failure.message).not.toContain(pattern);
        else expect(failure.message).not.toMatch(pattern);
    });
  }
});
