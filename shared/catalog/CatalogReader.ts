import { Catalog } from "./Catalog.ts";
import type { CatalogPointer, CatalogStorage } from "./ports.ts";
import { decodeSnapshot } from "./snapshot.ts";

/**
 * The catalog as a warm function sees it: loaded once per version and kept in memory. The pointer
 * is re-read when asked for a fresh view (syncs, refreshes) or when the last read is older than the
 * TTL (previews, searches); a new version is loaded once, by whoever asks first.
 */
export class CatalogReader {
  private readonly bucket: CatalogStorage;
  private readonly pointerTtlMs: number;
  private pointerReadAt = 0;
  private pointer: CatalogPointer | undefined;
  private loaded: { version: string; catalog: Promise<Catalog> } | undefined;
  /** Bytes of snapshots this reader has downloaded (benchmarks). */
  bytesRead = 0;

  constructor(bucket: CatalogStorage, pointerTtlMs: number) {
    this.bucket = bucket;
    this.pointerTtlMs = pointerTtlMs;
  }

  /** The current catalog, or undefined while none has been published. */
  async current(options: { fresh?: boolean } = {}): Promise<Catalog | undefined> {
    if (options.fresh || Date.now() - this.pointerReadAt > this.pointerTtlMs) {
      this.pointer = await this.bucket.readPointer();
      this.pointerReadAt = Date.now();
    }
    const pointer = this.pointer;
    if (!pointer) return undefined;
    if (this.loaded?.version !== pointer.version) {
      const catalog = this.load(pointer);
      this.loaded = { version: pointer.version, catalog };
      catalog.catch(() => {
        if (this.loaded?.catalog === catalog) this.loaded = undefined;
      });
    }
    return this.loaded.catalog;
  }

  private async load(pointer: CatalogPointer): Promise<Catalog> {
    const bytes = await this.bucket.readSnapshot(pointer.key);
    this.bytesRead += bytes.byteLength;
    return new Catalog(decodeSnapshot(bytes));
  }
}
