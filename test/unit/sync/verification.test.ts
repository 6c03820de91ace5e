import { describe, expect, it } from "vitest";
import { type ListRecord, traktListDescription } from "#domain/list.ts";
import type { TraktList } from "#sync/traktSession.ts";
import { expectedOnTrakt, verifyLists } from "#sync/verification.ts";
import { listRecord } from "#test/support/builders.ts";

/** A Trakt list with the name and privacy `listRecord` gives ("My list", private). */
function traktList(
  id: number,
  itemCount: number,
  description: string | null = null,
  settings: Partial<Pick<TraktList, "name" | "privacy">> = {},
): TraktList {
  return {
    name: "My list",
    description,
    privacy: "private",
    ...settings,
    item_count: itemCount,
    ids: { trakt: id, slug: `list-${id}` },
  };
}

const owner = { installId: "inst-1", userId: "user-1" };
const nobodyDeleted = { owner, deletedListIds: new Set<string>() };

const notFound = (tmdbId: number) => ({ mediaType: "movie" as const, tmdbId, title: `Missing ${tmdbId}` });

const expectedCases: [string, Partial<ListRecord>, number][] = [
  ["expects every local item when Trakt found them all", { localItemCount: 12 }, 12],
  [
    "subtracts the items Trakt could not find",
    { localItemCount: 12, notFound: [notFound(1), notFound(2)] },
    10,
  ],
  ["never expects a negative count", { localItemCount: 1, notFound: [notFound(1), notFound(2)] }, 0],
  [
    "expects what was pushed for a limited list",
    {
      syncState: "limited",
      localItemCount: 500,
      notFound: [notFound(1)],
      limit: { itemCount: 250, pushed: 250, wanted: 500 },
    },
    250,
  ],
  [
    "ignores a stale limit once the list is no longer limited",
    { syncState: "synced", localItemCount: 500, limit: { itemCount: 250, pushed: 250, wanted: 500 } },
    500,
  ],
];

describe("expectedOnTrakt", () => {
  it.each(expectedCases)("%s", (_name, overrides, count) => {
    // Prepare
    const list = listRecord(overrides);

    // Act
    const expected = expectedOnTrakt(list);

    // Assess
    expect(expected).toBe(count);
  });
});

const limited: Partial<ListRecord> = {
  traktListId: 7,
  syncState: "limited",
  localItemCount: 500,
  limit: { itemCount: 250, pushed: 250, wanted: 500 },
};

/** One list against what Trakt holds (undefined: Trakt could not be asked), and what its report says. */
const oneListCases: [string, Partial<ListRecord>, TraktList[] | undefined, Record<string, unknown>][] = [
  [
    "reports a list without a Trakt list yet as drifted",
    { syncState: "pending", localItemCount: 3 },
    [],
    {
      traktListId: null,
      traktItemCount: null,
      lastSyncedAt: null,
      drifted: true,
      problem: "no Trakt list yet",
    },
  ],
  [
    "reports a list whose Trakt list is missing on Trakt as drifted",
    { traktListId: 7, localItemCount: 3 },
    [traktList(8, 3)],
    { traktListId: 7, traktItemCount: null, drifted: true, problem: "the Trakt list is missing on Trakt" },
  ],
  [
    "reports a count that differs from the expected one as drifted",
    { traktListId: 7, localItemCount: 10 },
    [traktList(7, 9)],
    {
      expectedTraktItemCount: 10,
      traktItemCount: 9,
      drifted: true,
      problem: "Trakt has 9 items, expected 10",
    },
  ],
  [
    "reports more items on Trakt than expected as drifted",
    { traktListId: 7, localItemCount: 10 },
    [traktList(7, 11)],
    { drifted: true },
  ],
  [
    "expects fewer items on Trakt by the items Trakt could not find",
    { traktListId: 7, localItemCount: 10, notFound: [notFound(1), notFound(2)] },
    [traktList(7, 8)],
    { expectedTraktItemCount: 8, drifted: false, problem: null },
  ],
  [
    "compares a limited list with what was pushed, not with its local count (at the limit)",
    limited,
    [traktList(7, 250)],
    { drifted: false, expectedTraktItemCount: 250 },
  ],
  [
    "compares a limited list with what was pushed, not with its local count (below the limit)",
    limited,
    [traktList(7, 200)],
    { drifted: true, problem: "Trakt has 200 items, expected 250" },
  ],
  [
    "reports a Trakt list named otherwise than the list as drifted (a rename that never reached Trakt)",
    { traktListId: 7, localItemCount: 10, title: "New name" },
    [traktList(7, 10)],
    { drifted: true, problem: 'Trakt names it "My list", expected "New name"' },
  ],
  [
    "reports a Trakt list of another privacy as drifted",
    { traktListId: 7, localItemCount: 10 },
    [traktList(7, 10, null, { privacy: "public" })],
    { drifted: true, problem: "Trakt shows it as public, expected private" },
  ],
  [
    "judges no list drifted for a missing twin when Trakt could not be asked",
    { traktListId: 7, localItemCount: 10 },
    undefined,
    { traktItemCount: null, drifted: false, problem: null },
  ],
  [
    "still reports a list without a Trakt list when Trakt could not be asked",
    { syncState: "pending" },
    undefined,
    { drifted: true, problem: "no Trakt list yet" },
  ],
];

describe("verifyLists", () => {
  it.each(oneListCases)("%s", (_name, overrides, trakt, expected) => {
    // Prepare
    const list = listRecord(overrides);

    // Act
    const report = verifyLists([list], trakt, nobodyDeleted);

    // Assess
    expect(report.lists).toHaveLength(1);
    expect(report.lists[0]).toMatchObject(expected);
    expect(report.orphans).toEqual([]);
    expect(report.notOurs).toEqual([]);
  });

  it("reports a list whose Trakt count matches as not drifted", () => {
    // Prepare
    const list = listRecord({
      listId: "a",
      traktListId: 7,
      localItemCount: 3,
      lastSyncedAt: "2024-02-01T00:00:00.000Z",
    });

    // Act
    const report = verifyLists([list], [traktList(7, 3, traktListDescription("a"))], nobodyDeleted);

    // Assess
    expect(report.lists).toEqual([
      {
        id: "a",
        title: "My list",
        listType: "manual",
        traktListId: 7,
        localItemCount: 3,
        expectedTraktItemCount: 3,
        traktItemCount: 3,
        state: "synced",
        lastSyncedAt: "2024-02-01T00:00:00.000Z",
        drifted: false,
        problem: null,
      },
    ]);
    expect(report.orphans).toEqual([]);
  });

  it("reports as orphans only the Trakt lists of lists this install deleted, and every other marked list as not ours", () => {
    // Prepare
    const kept = listRecord({ listId: "kept", traktListId: 7, localItemCount: 1 });
    const trakt = [
      traktList(7, 1, traktListDescription("kept", owner)),
      traktList(9, 4, traktListDescription("deleted-here", owner)),
      traktList(10, 4, traktListDescription("deleted-by-old-version")),
      traktList(11, 4, traktListDescription("unknown", owner)),
      traktList(12, 4, traktListDescription("deleted-here", { ...owner, installId: "inst-2" })),
      traktList(13, 4, traktListDescription("deleted-here", { ...owner, userId: "user-2" })),
      traktList(14, 4, "My own list [trakt-list-sync:typed-by-hand]"),
    ];
    const ownership = { owner, deletedListIds: new Set(["deleted-here", "deleted-by-old-version"]) };

    // Act
    const report = verifyLists([kept], trakt, ownership);

    // Assess
    expect(report.orphans).toEqual([
      { traktListId: 9, name: "My list", listId: "deleted-here" },
      { traktListId: 10, name: "My list", listId: "deleted-by-old-version" },
    ]);
    expect(report.notOurs.map((l) => [l.traktListId, l.reason])).toEqual([
      [11, "no record that this install deleted its list"],
      [12, "made by another install of trakt-list-sync (or before its database was reset)"],
      [13, "made for another user"],
      [14, "no record that this install deleted its list"],
    ]);
  });

  it("ignores the user's own Trakt lists that carry no marker", () => {
    // Prepare
    const trakt = [traktList(1, 10, null), traktList(2, 5, "My watchlist for summer"), traktList(3, 0, "")];

    // Act
    const report = verifyLists([], trakt, nobodyDeleted);

    // Assess
    expect(report).toEqual({ lists: [], orphans: [], notOurs: [] });
  });

  it("reports each local list once, in the order given", () => {
    // Prepare
    const lists = [
      listRecord({ listId: "b", traktListId: 2, localItemCount: 1 }),
      listRecord({ listId: "a", traktListId: 1, localItemCount: 1 }),
    ];

    // Act
    const report = verifyLists(lists, [traktList(1, 1), traktList(2, 0)], nobodyDeleted);

    // Assess
    expect(report.lists.map((l) => [l.id, l.drifted])).toEqual([
      ["b", true],
      ["a", false],
    ]);
  });
});
