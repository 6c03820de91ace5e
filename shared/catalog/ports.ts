import type { Readable } from "node:stream";
import type { SnapshotMeta } from "./snapshot.ts";

/** What `catalog/current.json` says: the version being served and where its snapshot is. */
export interface CatalogPointer extends SnapshotMeta {
  key: string;
  /** ETags of the source files it was built from, so a repeated trigger for the same files publishes nothing. */
  sourceTag: string;
}

/** Where catalog versions are kept and read (the S3 catalog bucket implements it). */
export interface CatalogStorage {
  readPointer(): Promise<CatalogPointer | undefined>;
  readSnapshot(key: string): Promise<Uint8Array>;
  /** Publishes a version: its snapshot first, then the pointer to it. */
  publish(bytes: Uint8Array, pointer: Omit<CatalogPointer, "key">): Promise<CatalogPointer>;
  list(prefix: string): Promise<{ key: string; etag: string; size: number }[]>;
  openStream(key: string): Promise<Readable>;
  /** The object's text, or undefined when there is none. */
  getText(key: string): Promise<string | undefined>;
  put(key: string, body: Uint8Array | string | Readable, contentType: string, length?: number): Promise<void>;
}
