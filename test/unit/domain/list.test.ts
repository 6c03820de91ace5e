import { describe, expect, it } from "vitest";
import {
  listIdFromDescription,
  markerIn,
  mayBelongTo,
  traktListDescription,
  traktListMarker,
} from "#domain/list.ts";

describe("traktListMarker and listIdFromDescription", () => {
  it("round-trips a list id through the marker", () => {
    // Prepare
    const listId = "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b";

    // Act
    const found = listIdFromDescription(traktListMarker(listId));

    // Assess
    expect(found).toBe(listId);
  });

  it("round-trips a list id through the full description we write", () => {
    // Prepare
    const listId = "list-42";

    // Act
    const description = traktListDescription(listId);
    const found = listIdFromDescription(description);

    // Assess
    expect(description).toContain(traktListMarker(listId));
    expect(found).toBe(listId);
  });

  it("finds the marker when the user added text around it on Trakt", () => {
    // Prepare
    const description = `My favourites [not ours] ${traktListMarker("abc")} and more [notes]`;

    // Act
    const found = listIdFromDescription(description);

    // Assess
    expect(found).toBe("abc");
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["an empty description", ""],
    ["a description without a marker", "Just my own list of films"],
    ["a similar but different prefix", "[trakt-list-sink:abc]"],
    ["a marker that is never closed", "Kept in sync [trakt-list-sync:abc"],
  ])("finds no list id in %s", (_case, description) => {
    // Prepare
    const input = description;

    // Act
    const found = listIdFromDescription(input);

    // Assess
    expect(found).toBeUndefined();
  });

  it("gives different markers for different list ids", () => {
    // Prepare
    const ids = ["a", "b"];

    // Act
    const markers = ids.map((id) => traktListMarker(id));

    // Assess
    expect(markers[0]).not.toBe(markers[1]);
  });
});

describe("markers naming the install and the user", () => {
  const owner = { installId: "inst-1", userId: "user with spaces]and:brackets" };

  it("round-trips the list, the install and the user", () => {
    // Prepare
    const description = `Mine ${traktListDescription("list-1", owner)} notes`;

    // Act
    const marker = markerIn(description);

    // Assess
    expect(marker).toEqual({ listId: "list-1", installId: "inst-1", userId: owner.userId });
    expect(listIdFromDescription(description)).toBe("list-1");
  });

  it.each([
    ["our own marker", traktListMarker("l", owner), true],
    ["a marker of an older version (list only)", traktListMarker("l"), true],
    ["another install", traktListMarker("l", { ...owner, installId: "inst-2" }), false],
    ["another user of this install", traktListMarker("l", { ...owner, userId: "someone-else" }), false],
  ])("says whether %s may be the owner's", (_case, description, expected) => {
    // Prepare
    const marker = markerIn(description)!;

    // Act
    const mine = mayBelongTo(marker, owner);

    // Assess
    expect(mine).toBe(expected);
  });
});
