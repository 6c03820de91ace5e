import type { CatalogTitle } from "#domain/catalog.ts";
import type { ListItem } from "#domain/item.ts";
import type { ListRecord } from "#domain/list.ts";
import type { TitleIds } from "#domain/media.ts";
import { type ItemPick, importOrder, type NewListInput, newListRecord, picksToItems } from "./newList.ts";

/** What creating a list writes to and reads from; the DynamoDB repositories and the catalog service implement it. */
export interface CreateListPorts {
  lists: {
    create(list: ListRecord): Promise<void>;
    countByUser(userId: string): Promise<number>;
  };
  items: { putItems(listId: string, items: readonly ListItem[]): Promise<void> };
  users: { register(userId: string): Promise<void> };
  catalog: { lookup(titles: readonly TitleIds[]): Promise<ReadonlyMap<string, CatalogTitle>> };
}

export interface CreateListRequest extends NewListInput {
  userId: string;
  /** Hand-picked titles (manual lists), ordered by `rank` where they carry one, else as given. */
  items?: readonly (ItemPick & { rank?: number | undefined })[] | undefined;
  /** An imported list's Trakt list, adopted instead of creating one. */
  traktListId?: number | undefined;
}

export interface CreatedList {
  list: ListRecord;
  itemCount: number;
}

export type CreateListOutcome =
  | ({ outcome: "created" } & CreatedList)
  | { outcome: "list_quota_reached"; maxListsPerUser: number };

/**
 * Creates a list, as `POST /lists` and `npm run import-lists` both do: its items first, then the user's entry
 * in the user directory, then the list record, whose stream INSERT starts the Trakt side (which must see the
 * items).
 */
export async function createList(
  ports: CreateListPorts,
  request: CreateListRequest,
  now = new Date(),
): Promise<CreatedList> {
  const listItems = await itemsOf(ports, request.items ?? []);
  const list: ListRecord = {
    ...newListRecord(request.userId, request, now, listItems.length),
    ...(request.traktListId !== undefined ? { traktListId: request.traktListId } : {}),
  };
  await ports.items.putItems(list.listId, listItems);
  await ports.users.register(request.userId);
  await ports.lists.create(list);
  return { list, itemCount: listItems.length };
}

/**
 * `createList` for a user who may hold at most `maxListsPerUser` lists (`POST /lists`; an import takes the
 * lists as they are). Counted before writing: concurrent creates can pass together, bounded by the request
 * rate limit.
 */
export async function createListWithinQuota(
  ports: CreateListPorts,
  request: CreateListRequest,
  maxListsPerUser: number,
  now = new Date(),
): Promise<CreateListOutcome> {
  if ((await ports.lists.countByUser(request.userId)) >= maxListsPerUser) {
    return { outcome: "list_quota_reached", maxListsPerUser };
  }
  return { outcome: "created", ...(await createList(ports, request, now)) };
}

async function itemsOf(
  ports: CreateListPorts,
  picks: NonNullable<CreateListRequest["items"]>,
): Promise<ListItem[]> {
  if (picks.length === 0) return [];
  const ordered = importOrder(picks);
  return picksToItems(ordered, await ports.catalog.lookup(ordered));
}
