import type { CustomListFilters } from "#domain/filters.ts";
import type { MediaType, TitleIds } from "#domain/media.ts";
import type { CatalogEntry, CatalogSelection } from "./Catalog.ts";
import type { CatalogReader } from "./CatalogReader.ts";

export class CatalogUnavailableError extends Error {
  constructor() {
    super("The catalog has not been published yet: no titles to choose from. It is retried automatically.");
  }
}

export interface PreviewItem extends CatalogEntry {
  rank: number;
}

/**
 * What the service asks of the catalog: a custom list's selection (syncs and refreshes re-read the
 * pointer, so they use the latest version), previews (the same selection, with the facts behind each
 * rank), search, and id look-ups for manual items.
 */
export class CatalogService {
  readonly reader: CatalogReader;

  constructor(reader: CatalogReader) {
    this.reader = reader;
  }

  async selectForList(filters: CustomListFilters, limit: number): Promise<Omit<CatalogSelection, "indexes">> {
    const catalog = await this.reader.current({ fresh: true });
    if (!catalog) throw new CatalogUnavailableError();
    const { indexes: _indexes, ...selection } = catalog.select(filters, limit);
    return selection;
  }

  async preview(
    filters: CustomListFilters,
    limit: number,
  ): Promise<{ items: PreviewItem[]; catalogVersion: string }> {
    const catalog = await this.reader.current({ fresh: true });
    if (!catalog) throw new CatalogUnavailableError();
    const { indexes, catalogVersion } = catalog.select(filters, limit);
    return { items: indexes.map((index, k) => ({ rank: k + 1, ...catalog.entry(index) })), catalogVersion };
  }

  async search(query: string, limit: number, mediaType?: MediaType): Promise<CatalogEntry[]> {
    const catalog = await this.reader.current();
    if (!catalog) return [];
    return catalog.search(query, limit, mediaType).map((index) => {
      const { language: _language, ...entry } = catalog.entry(index);
      return entry;
    });
  }

  async lookup(titles: readonly TitleIds[]) {
    const catalog = await this.reader.current();
    return catalog ? catalog.lookup(titles) : new Map();
  }

  async info() {
    const catalog = await this.reader.current();
    return catalog?.meta;
  }
}
