import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { CatalogRefreshState, RefreshStateStore } from "#sync/catalogRefresh.ts";

const key = { pk: "CATALOG_REFRESH", sk: "STATE" };

/** The catalog refresh's progress: one record, so a pass stopped at its bound continues next run. */
export class CatalogRefreshStateRepository implements RefreshStateStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.doc = doc;
    this.tableName = tableName;
  }

  async load(): Promise<CatalogRefreshState | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...state } = Item;
    return state as CatalogRefreshState;
  }

  async save(state: CatalogRefreshState): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key, entity: "CATALOG_REFRESH", ...state } }),
    );
  }
}
