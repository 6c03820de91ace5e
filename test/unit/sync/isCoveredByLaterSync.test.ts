import { describe, expect, it } from "vitest";
import type { SyncRequest } from "#sync/ports.ts";
import { isCoveredByLaterSync } from "#sync/syncList.ts";
import { listRecord } from "#test/support/builders.ts";

function request(requestedAt: string, forceFull = false): SyncRequest {
  return { userId: "user-1", listId: "list-1", forceFull, reason: "items_changed", requestedAt };
}

describe("isCoveredByLaterSync", () => {
  it("is covered when a sync that started after the request finished well", () => {
    // Prepare
    const list = listRecord({ syncState: "synced", lastSyncStartedAt: "2024-03-01T10:00:05.000Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.000Z"));

    // Assess
    expect(covered).toBe(true);
  });

  it("is covered by a later sync that ended limited", () => {
    // Prepare
    const list = listRecord({ syncState: "limited", lastSyncStartedAt: "2024-03-01T10:00:05.000Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.000Z"));

    // Assess
    expect(covered).toBe(true);
  });

  it("is not covered by a sync that started before the request", () => {
    // Prepare
    const list = listRecord({ syncState: "synced", lastSyncStartedAt: "2024-03-01T09:59:59.999Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.000Z"));

    // Assess
    expect(covered).toBe(false);
  });

  it("is not covered by a sync that started in the same millisecond as the request", () => {
    // Prepare
    const list = listRecord({ syncState: "synced", lastSyncStartedAt: "2024-03-01T10:00:00.000Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.000Z"));

    // Assess
    expect(covered).toBe(false);
  });

  it("is never covered when the request forces a full sync", () => {
    // Prepare
    const list = listRecord({ syncState: "synced", lastSyncStartedAt: "2024-03-01T10:00:05.000Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.000Z", true));

    // Assess
    expect(covered).toBe(false);
  });

  it("is not covered when no sync has started yet", () => {
    // Prepare
    const list = listRecord({ syncState: "synced" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.000Z"));

    // Assess
    expect(covered).toBe(false);
  });

  it.each(["pending", "syncing", "failed", "auth_required", "account_locked", "vip_required"] as const)(
    "is not covered by a later sync whose list is %s",
    (syncState) => {
      // Prepare
      const list = listRecord({ syncState, lastSyncStartedAt: "2024-03-01T10:00:05.000Z" });

      // Act
      const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.000Z"));

      // Assess
      expect(covered).toBe(false);
    },
  );

  it("compares across a day boundary", () => {
    // Prepare
    const list = listRecord({ syncState: "synced", lastSyncStartedAt: "2024-03-02T00:00:00.001Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T23:59:59.999Z"));

    // Assess
    expect(covered).toBe(true);
  });

  // Regression (isCoveredByLaterSync compared the timestamps as strings).
  // syncRequestSchema accepts any ISO datetime (z.iso.datetime(): no or more than 3 fractional
  // digits), so a request timestamp with more precision than toISOString() compares wrongly:
  // "…10:00:00.500Z" > "…10:00:00.5004Z" as strings, although the sync started 0.4 ms before the
  // request, so a request that needs a sync is skipped.
  it("is not covered by a sync that started before a request timed with sub-millisecond precision", () => {
    // Prepare
    const list = listRecord({ syncState: "synced", lastSyncStartedAt: "2024-03-01T10:00:00.500Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00.5004Z"));

    // Assess
    expect(covered).toBe(false);
  });

  // Regression: a request without fractional seconds sorts after every sync start in that
  // second ("." < "Z"), so a sync that started 0.5 s after the request does not cover it (a
  // needless extra sync rather than a skipped one).
  it("is covered by a sync that started after a request timed without fractional seconds", () => {
    // Prepare
    const list = listRecord({ syncState: "synced", lastSyncStartedAt: "2024-03-01T10:00:00.500Z" });

    // Act
    const covered = isCoveredByLaterSync(list, request("2024-03-01T10:00:00Z"));

    // Assess
    expect(covered).toBe(true);
  });
});
