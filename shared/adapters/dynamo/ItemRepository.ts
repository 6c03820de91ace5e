import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ListItem } from "#domain/item.ts";
import { type TitleIds, titleKey } from "#domain/media.ts";
import type { ItemStore } from "#sync/ports.ts";
import { batchWrite } from "./batchWrite.ts";
import { unlessConditionFails } from "./conditional.ts";
import { entity, itemKey, itemPk } from "./keys.ts";

/** Item flag updates in flight at once (one conditional update each). */
const flagWriteConcurrency = 25;

/** A list's items: one record per title, under the list's own partition of the items table (ITEMS_TABLE_NAME). */
export class ItemRepository implements ItemStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.doc = doc;
    this.tableName = tableName;
  }

  async getItems(listId: string): Promise<ListItem[]> {
    const items: ListItem[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :item)",
        ExpressionAttributeValues: { ":pk": itemPk(listId), ":item": "ITEM#" },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const record of page.Items ?? []) items.push(toListItem(record));
    return items.sort((a, b) => a.rank - b.rank);
  }

  async putItems(listId: string, items: readonly ListItem[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.tableName,
      items.map((item) => ({ PutRequest: { Item: this.toRecord(listId, item) } })),
    );
  }

  async deleteItems(listId: string, items: readonly TitleIds[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.tableName,
      items.map((item) => ({ DeleteRequest: { Key: itemKey(listId, item) } })),
    );
  }

  async replaceItems(
    listId: string,
    items: readonly ListItem[],
    stored?: readonly ListItem[],
  ): Promise<void> {
    const current = new Map((stored ?? (await this.getItems(listId))).map((item) => [titleKey(item), item]));
    const wanted = new Set(items.map(titleKey));
    const changed = items.filter((item) => !sameItem(current.get(titleKey(item)), item));
    const gone = [...current.values()].filter((item) => !wanted.has(titleKey(item)));
    await this.putItems(listId, changed);
    await this.deleteItems(listId, gone);
  }

  async recordNotFound(
    listId: string,
    items: readonly ListItem[],
    notFoundKeys: ReadonlySet<string>,
  ): Promise<void> {
    const changed = items.filter(
      (item) => (item.notFoundOnTrakt === true) !== notFoundKeys.has(titleKey(item)),
    );
    for (let start = 0; start < changed.length; start += flagWriteConcurrency) {
      await Promise.all(
        changed
          .slice(start, start + flagWriteConcurrency)
          .map((item) => this.setNotFound(listId, item, notFoundKeys.has(titleKey(item)))),
      );
    }
  }

  /** One item's flag; an item removed meanwhile (by the API) is left removed. */
  private async setNotFound(listId: string, item: ListItem, notFound: boolean): Promise<void> {
    await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey(listId, item),
          UpdateExpression: notFound ? "SET notFoundOnTrakt = :yes" : "REMOVE notFoundOnTrakt",
          ConditionExpression: "attribute_exists(pk)",
          ...(notFound ? { ExpressionAttributeValues: { ":yes": true } } : {}),
        }),
      ),
    );
  }

  async deleteAll(listId: string): Promise<number> {
    const items = await this.getItems(listId);
    await this.deleteItems(listId, items);
    return items.length;
  }

  private toRecord(listId: string, item: ListItem): Record<string, unknown> {
    return { ...itemKey(listId, item), entity: entity.item, listId, ...item };
  }
}

function toListItem(record: Record<string, unknown>): ListItem {
  const { pk: _pk, sk: _sk, entity: _entity, listId: _listId, ...item } = record;
  return item as unknown as ListItem;
}

function sameItem(a: ListItem | undefined, b: ListItem): boolean {
  return (
    a !== undefined &&
    a.rank === b.rank &&
    a.title === b.title &&
    a.year === b.year &&
    a.imdbId === b.imdbId &&
    a.tmdbId === b.tmdbId &&
    a.traktId === b.traktId &&
    a.notFoundOnTrakt === b.notFoundOnTrakt
  );
}
