import { BatchGetCommand, type DynamoDBDocumentClient, paginateQuery } from "@aws-sdk/lib-dynamodb";
import { batchWrite } from "#adapters/dynamo/batchWrite.ts";
import { catalogKey, catalogPk, entity, titleLookupKey } from "#adapters/dynamo/keys.ts";
import { inBatches } from "#domain/batching.ts";
import type { CatalogTitle } from "#domain/catalog.ts";
import { type MediaType, titleKey } from "#domain/media.ts";

/**
 * The catalog as it was stored before the S3 snapshot: titles in one DynamoDB partition, best first
 * (the sort key is the ranking), read page by page until a list is full. The service no longer
 * reads it; `npm run bench -- catalog` keeps it to compare the two on the same data.
 */
export class CatalogRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly pageSize: number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, pageSize = 200) {
    this.doc = doc;
    this.tableName = tableName;
    this.pageSize = pageSize;
  }

  async *bestFirst(): AsyncIterable<CatalogTitle> {
    const pages = paginateQuery(
      { client: this.doc, pageSize: this.pageSize },
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": catalogPk },
      },
    );
    for await (const page of pages) {
      for (const record of page.Items ?? []) yield toCatalogTitle(record);
    }
  }

  /** The catalog entries of the given titles, by title key; titles the catalog lacks are absent. */
  async lookup(
    titles: readonly { mediaType: MediaType; tmdbId: number }[],
  ): Promise<Map<string, CatalogTitle>> {
    const found = new Map<string, CatalogTitle>();
    const unique = [...new Map(titles.map((t) => [titleKey(t), t])).values()];
    for (const chunk of inBatches(unique, 100)) {
      let keys: Record<string, unknown>[] = chunk.map((t) => titleLookupKey(t.mediaType, t.tmdbId));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt)));
        const response = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const record of response.Responses?.[this.tableName] ?? []) {
          const title = toCatalogTitle(record);
          found.set(titleKey(title), title);
        }
        keys =
          (response.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return found;
  }

  async load(titles: readonly CatalogTitle[], onProgress?: (written: number) => void): Promise<void> {
    const step = 500;
    for (let start = 0; start < titles.length; start += step) {
      const chunk = titles.slice(start, start + step);
      await batchWrite(
        this.doc,
        this.tableName,
        chunk.flatMap((title) => [
          { PutRequest: { Item: { ...catalogKey(title), entity: entity.catalog, ...title } } },
          {
            PutRequest: {
              Item: {
                ...titleLookupKey(title.mediaType, title.tmdbId ?? 0),
                entity: entity.catalog,
                ...title,
              },
            },
          },
        ]),
      );
      onProgress?.(Math.min(titles.length, start + step));
    }
  }
}

function toCatalogTitle(record: Record<string, unknown>): CatalogTitle {
  const { pk: _pk, sk: _sk, entity: _entity, ...title } = record;
  return title as unknown as CatalogTitle;
}
