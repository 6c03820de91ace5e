import { describe, expect, it } from "vitest";
import {
  classifyFailure,
  ListBusyError,
  ListConflictError,
  ListCountLimitError,
  ListGoneError,
  NotConvergedError,
} from "#sync/failures.ts";
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

describe("classifyFailure", () => {
  it("asks the user to link Trakt again when authorization is gone, without retrying", () => {
    // Prepare
    const error = new TraktAuthRequiredError();

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({
      state: "auth_required",
      code: "trakt_auth_required",
      retry: false,
      record: true,
    });
    expect(failure.message).toMatch(/link your trakt account again/i);
  });

  it("tells a user who never linked Trakt that it is not linked yet, and how to link it", () => {
    // Prepare
    const error = new TraktNotLinkedError();

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({ state: "auth_required", code: "trakt_not_linked", retry: false });
    expect(failure.message).toMatch(/not linked yet/i);
    expect(failure.message).toContain("POST /trakt/device-code");
    expect(failure.message).not.toMatch(/expired|revoked/i);
  });

  it("treats HTTP 401 like revoked authorization", () => {
    // Prepare
    const error = httpError(401);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({
      state: "auth_required",
      code: "trakt_auth_required",
      retry: false,
      record: true,
    });
  });

  it("marks the account locked on HTTP 423 and does not retry", () => {
    // Prepare
    const error = httpError(423);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({
      state: "account_locked",
      code: "trakt_account_locked",
      retry: false,
      record: true,
    });
    expect(failure.message).toMatch(/locked/i);
  });

  it("asks for VIP on HTTP 426 and does not retry", () => {
    // Prepare
    const error = httpError(426);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({
      state: "vip_required",
      code: "trakt_vip_required",
      retry: false,
      record: true,
    });
    expect(failure.message).toMatch(/VIP/);
  });

  it("retries when Trakt rate limits (HTTP 429)", () => {
    // Prepare
    const error = httpError(429);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({
      state: "failed",
      code: "trakt_rate_limited",
      retry: true,
      record: true,
    });
  });

  it.each([500, 502, 503, 504, 520, 522])("retries when Trakt is unavailable (HTTP %i)", (status) => {
    // Prepare
    const error = httpError(status);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({ state: "failed", code: "trakt_unavailable", retry: true, record: true });
    expect(failure.message).toContain(`HTTP ${status}`);
  });

  it("retries an HTTP 403 but tells the operator to check the app's credentials", () => {
    // Prepare
    const error = httpError(403);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({ state: "failed", code: "trakt_forbidden", retry: true, record: true });
    expect(failure.message).toMatch(/credentials/);
  });

  it.each([400, 404, 409, 422])(
    "reports other refusals such as HTTP %i as rejected, naming the request",
    (status) => {
      // Prepare
      const error = httpError(status);

      // Act
      const failure = classifyFailure(error);

      // Assess
      expect(failure).toMatchObject({ state: "failed", code: "trakt_rejected", retry: true, record: true });
      expect(failure.message).toContain(`HTTP ${status} on POST /users/me/lists/7/items`);
    },
  );

  it("retries when Trakt does not answer at all", () => {
    // Prepare
    const error = new TraktNetworkError("GET", "/users/me/lists", new Error("socket hang up"));

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({ state: "failed", code: "trakt_unreachable", retry: true, record: true });
  });

  it("marks the list limited on Trakt's list-count limit and does not retry blindly", () => {
    // Prepare
    const error = new ListCountLimitError(5);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({
      state: "limited",
      code: "trakt_list_count_limit",
      retry: false,
      record: true,
    });
    expect(failure.message).toContain("5 lists");
  });

  it("explains the list-count limit without a number when Trakt did not say it", () => {
    // Prepare
    const error = new ListCountLimitError(undefined);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure.state).toBe("limited");
    expect(failure.message).toMatch(/list limit is reached/);
  });

  it("neither retries nor records a list deleted meanwhile", () => {
    // Prepare
    const error = new ListGoneError("list-1");

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({ code: "list_gone", retry: false, record: false });
  });

  it("retries contention with another worker without recording it on the list", () => {
    // Prepare
    const error = new ListBusyError("list-1");

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({ code: "list_busy", retry: true, record: false });
  });

  it("retries and records a sync that did not converge", () => {
    // Prepare
    const error = new NotConvergedError(5);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({ state: "failed", code: "sync_retrying", retry: true, record: true });
    expect(failure.message).toContain("5 passes");
  });

  it.each([
    ["a plain Error", new Error("boom")],
    ["a thrown string", "boom"],
    ["undefined", undefined],
  ])("retries an unexpected failure (%s) without leaking its details", (_case, error) => {
    // Prepare
    const thrown = error;

    // Act
    const failure = classifyFailure(thrown);

    // Assess
    expect(failure).toMatchObject({ state: "failed", code: "internal_error", retry: true, record: true });
    expect(failure.message).not.toContain("boom");
  });

  it("retries a read that Trakt kept sending incomplete", () => {
    // Prepare
    const error = new TraktIncompleteReadError("GET", "/users/me/lists/7/items?page=1&limit=250", 300, 150);

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure).toMatchObject({
      state: "failed",
      code: "trakt_incomplete_read",
      retry: true,
      record: true,
    });
  });

  it("retries (through the queue, looking first) a 409 whose list carries no marker of ours", () => {
    // Act
    const failure = classifyFailure(new ListConflictError());

    // Assess
    expect(failure).toMatchObject({
      state: "failed",
      code: "trakt_list_conflict",
      retry: true,
      record: true,
    });
  });

  it("puts the list-count limit, VIP flag and upgrade URL on the list", () => {
    // Prepare
    const error = new ListCountLimitError(5, { vip: false, upgradeUrl: "https://trakt.tv/vip", wanted: 40 });

    // Act
    const failure = classifyFailure(error);

    // Assess
    expect(failure.limit).toEqual({
      listCount: 5,
      pushed: 0,
      wanted: 40,
      vip: false,
      upgradeUrl: "https://trakt.tv/vip",
    });
    expect(failure.message).toContain("https://trakt.tv/vip");
  });
});
