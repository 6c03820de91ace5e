import { describe, expect, it } from "vitest";
import type { CatalogTitle } from "#domain/catalog.ts";
import type { ListItem } from "#domain/item.ts";
import type { ListRecord } from "#domain/list.ts";
import { type TitleIds, titleKey } from "#domain/media.ts";
import { type CreateListPorts, createList, createListWithinQuota } from "#lists/createList.ts";
import { catalogTitle } from "#test/support/builders.ts";

/** In-memory ports that record every write in order. */
function memoryPorts(options: { listsOfUser?: number; catalog?: CatalogTitle[] } = {}) {
  const writes: string[] = [];
  const lists: ListRecord[] = [];
  const items = new Map<string, readonly ListItem[]>();
  const known = new Map((options.catalog ?? []).map((title) => [titleKey(title), title]));
  const ports: CreateListPorts = {
    lists: {
      create: async (list) => {
        writes.push("list");
        lists.push(list);
      },
      countByUser: async () => options.listsOfUser ?? 0,
    },
    items: {
      putItems: async (listId, listItems) => {
        writes.push("items");
        items.set(listId, listItems);
      },
    },
    users: {
      register: async (userId) => {
        writes.push(`user ${userId}`);
      },
    },
    catalog: {
      lookup: async (titles: readonly TitleIds[]) =>
        new Map(
          titles.flatMap((ids) =>
            known.has(titleKey(ids)) ? [[titleKey(ids), known.get(titleKey(ids))!]] : [],
          ),
        ),
    },
  };
  return { ports, writes, lists, items };
}

const now = new Date("2024-05-06T07:08:09.010Z");

describe("createList", () => {
  it("writes the items, then the user's entry, then the list record that starts the Trakt side", async () => {
    // Prepare
    const memory = memoryPorts();

    // Act
    await createList(
      memory.ports,
      { userId: "u1", title: "Picks", listType: "manual", items: [{ mediaType: "movie", tmdbId: 1 }] },
      now,
    );

    // Assess
    expect(memory.writes).toEqual(["items", "user u1", "list"]);
  });

  it("stores the items the picks name, with the catalog's titles, and counts them on the list", async () => {
    // Prepare
    const memory = memoryPorts({ catalog: [catalogTitle({ tmdbId: 550, title: "Fight Club", year: 1999 })] });
    const picks = [
      { mediaType: "movie" as const, tmdbId: 550 },
      { mediaType: "movie" as const, tmdbId: 7, title: "Unknown" },
    ];

    // Act
    const created = await createList(
      memory.ports,
      { userId: "u1", title: "Picks", listType: "manual", items: picks },
      now,
    );

    // Assess
    expect(created.itemCount).toBe(2);
    expect(created.list).toMatchObject({
      userId: "u1",
      localItemCount: 2,
      syncState: "pending",
      createdAt: now.toISOString(),
    });
    expect(memory.lists).toEqual([created.list]);
    expect(memory.items.get(created.list.listId)).toEqual([
      { mediaType: "movie", tmdbId: 550, rank: 1, title: "Fight Club", year: 1999 },
      { mediaType: "movie", tmdbId: 7, rank: 2, title: "Unknown" },
    ]);
  });

  it("orders imported picks by rank, unranked ones last in the order given", async () => {
    // Prepare
    const memory = memoryPorts();
    const picks = [
      { mediaType: "movie" as const, tmdbId: 1 },
      { mediaType: "movie" as const, tmdbId: 2, rank: 9 },
      { mediaType: "movie" as const, tmdbId: 3 },
      { mediaType: "movie" as const, tmdbId: 4, rank: 1 },
    ];

    // Act
    const created = await createList(
      memory.ports,
      { userId: "u1", title: "Old", listType: "manual", items: picks },
      now,
    );

    // Assess
    expect(memory.items.get(created.list.listId)?.map((item) => [item.tmdbId, item.rank])).toEqual([
      [4, 1],
      [2, 2],
      [1, 3],
      [3, 4],
    ]);
  });

  it("adopts an imported list's Trakt list id and keeps none otherwise", async () => {
    // Prepare
    const memory = memoryPorts();

    // Act
    const adopted = await createList(
      memory.ports,
      { userId: "u1", title: "A", listType: "manual", traktListId: 77 },
      now,
    );
    const fresh = await createList(memory.ports, { userId: "u1", title: "B", listType: "custom" }, now);

    // Assess
    expect(adopted.list.traktListId).toBe(77);
    expect(fresh.list).not.toHaveProperty("traktListId");
    expect(fresh.itemCount).toBe(0);
  });
});

describe("createListWithinQuota", () => {
  it.each([
    [
      "creates the list while the user has fewer lists than the quota",
      2,
      "created",
      ["items", "user u1", "list"],
    ],
    ["writes nothing once the user holds the quota's number of lists", 3, "list_quota_reached", []],
  ])("%s", async (_name, listsOfUser, expected, writes) => {
    // Prepare
    const memory = memoryPorts({ listsOfUser });

    // Act
    const outcome = await createListWithinQuota(
      memory.ports,
      { userId: "u1", title: "A", listType: "custom" },
      3,
      now,
    );

    // Assess
    expect(outcome.outcome).toBe(expected);
    if (outcome.outcome === "list_quota_reached") expect(outcome.maxListsPerUser).toBe(3);
    expect(memory.writes).toEqual(writes);
  });
});
