import { Catalog } from "#catalog/Catalog.ts";
import { decodeSnapshot, encodeSnapshot } from "#catalog/snapshot.ts";
import type { CatalogTitle } from "#domain/catalog.ts";
import type { CustomListFilters } from "#domain/filters.ts";
import type { CatalogSource, CustomSelection } from "#sync/ports.ts";

/** A catalog version built in memory (the real snapshot encoding, no bucket). */
export function catalogOf(titles: readonly CatalogTitle[], version = "v1"): Catalog {
  const { bytes } = encodeSnapshot([...titles], {
    version,
    publishedAt: new Date().toISOString(),
    sources: ["memory.jsonl"],
  });
  return new Catalog(decodeSnapshot(bytes));
}

/** Our `CatalogSource` port over an in-memory version that a test can replace with `publish`. */
export class MemoryCatalogSource implements CatalogSource {
  catalog: Catalog;
  private versions = 1;

  constructor(titles: readonly CatalogTitle[] = []) {
    this.catalog = catalogOf(titles);
  }

  publish(titles: readonly CatalogTitle[]): void {
    this.versions++;
    this.catalog = catalogOf(titles, `v${this.versions}`);
  }

  async selectForList(filters: CustomListFilters, limit: number): Promise<CustomSelection> {
    const { indexes: _indexes, ...selection } = this.catalog.select(filters, limit);
    return selection;
  }
}
