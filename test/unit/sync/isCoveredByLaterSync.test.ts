import { describe, expect, it } from "vitest";
import type { SyncState } from "#domain/list.ts";
import type { SyncRequest } from "#sync/ports.ts";
import { isCoveredByLaterSync } from "#sync/syncList.ts";
import { listRecord } from "#test/support/builders.ts";

function request(requestedAt: string, forceFull = false): SyncRequest {
  return { userId: "user-1", listId: "list-1", forceFull, reason: "items_changed", requestedAt };
}

interface Case {
  /** The list's state and when its last sync started (none: no sync started yet). */
  syncState: SyncState;
  lastSyncStartedAt?: string;
  requestedAt: string;
  forceFull?: boolean;
  covered: boolean;
}

const cases: Record<string, Case> = {
  "is covered when a sync that started after the request finished well": {
    syncState: "synced",
    lastSyncStartedAt: "2024-03-01T10:00:05.000Z",
    requestedAt: "2024-03-01T10:00:00.000Z",
    covered: true,
  },
  "is covered by a later sync that ended limited": {
    syncState: "limited",
    lastSyncStartedAt: "2024-03-01T10:00:05.000Z",
    requestedAt: "2024-03-01T10:00:00.000Z",
    covered: true,
  },
  "is not covered by a sync that started before the request": {
    syncState: "synced",
    lastSyncStartedAt: "2024-03-01T09:59:59.999Z",
    requestedAt: "2024-03-01T10:00:00.000Z",
    covered: false,
  },
  "is not covered by a sync that started in the same millisecond as the request": {
    syncState: "synced",
    lastSyncStartedAt: "2024-03-01T10:00:00.000Z",
    requestedAt: "2024-03-01T10:00:00.000Z",
    covered: false,
  },
  "is never covered when the request forces a full sync": {
    syncState: "synced",
    lastSyncStartedAt: "2024-03-01T10:00:05.000Z",
    requestedAt: "2024-03-01T10:00:00.000Z",
    forceFull: true,
    covered: false,
  },
  "is not covered when no sync has started yet": {
    syncState: "synced",
    requestedAt: "2024-03-01T10:00:00.000Z",
    covered: false,
  },
  ...Object.fromEntries(
    (["pending", "syncing", "failed", "auth_required", "account_locked", "vip_required"] as const).map(
      (syncState): [string, Case] => [
        `is not covered by a later sync whose list is ${syncState}`,
        {
          syncState,
          lastSyncStartedAt: "2024-03-01T10:00:05.000Z",
          requestedAt: "2024-03-01T10:00:00.000Z",
          covered: false,
        },
      ],
    ),
  ),
  "compares across a day boundary": {
    syncState: "synced",
    lastSyncStartedAt: "2024-03-02T00:00:00.001Z",
    requestedAt: "2024-03-01T23:59:59.999Z",
    covered: true,
  },
  // Regression (isCoveredByLaterSync compared the timestamps as strings).
  // syncRequestSchema accepts any ISO datetime (z.iso.datetime(): no or more than 3 fractional
  // digits), so a request timestamp with more precision than toISOString() compares wrongly:
  // "…10:00:00.500Z" > "…10:00:00.5004Z" as strings, although the sync started 0.4 ms before the
  // request, so a request that needs a sync is skipped.
  "is not covered by a sync that started before a request timed with sub-millisecond precision": {
    syncState: "synced",
    lastSyncStartedAt: "2024-03-01T10:00:00.500Z",
    requestedAt: "2024-03-01T10:00:00.5004Z",
    covered: false,
  },
  // Regression: a request without fractional seconds sorts after every sync start in that
  // second ("." < "Z"), so a sync that started 0.5 s after the request does not cover it (a
  // needless extra sync rather than a skipped one).
  "is covered by a sync that started after a request timed without fractional seconds": {
    syncState: "synced",
    lastSyncStartedAt: "2024-03-01T10:00:00.500Z",
    requestedAt: "2024-03-01T10:00:00Z",
    covered: true,
  },
};

describe("isCoveredByLaterSync", () => {
  it.each(Object.entries(cases))(
    "%s",
    (_name, { syncState, lastSyncStartedAt, requestedAt, forceFull, covered }) => {
      // Prepare
      const list = listRecord({ syncState, ...(lastSyncStartedAt ? { lastSyncStartedAt } : {}) });

      // Act
      const result = isCoveredByLaterSync(list, request(requestedAt, forceFull));

      // Assess
      expect(result).toBe(covered);
    },
  );
});
