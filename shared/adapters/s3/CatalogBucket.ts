import type { Readable } from "node:stream";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { CatalogPointer, CatalogStorage } from "#catalog/ports.ts";
import { catalogStore } from "#config/resources.ts";

/**
 * The catalog bucket: immutable snapshot versions, the pointer to the current one, ingestion
 * reports, and the `incoming/` source files.
 */
export class CatalogBucket implements CatalogStorage {
  readonly s3: S3Client;
  readonly bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  async readPointer(): Promise<CatalogPointer | undefined> {
    const text = await this.getText(catalogStore.pointerKey);
    return text === undefined ? undefined : (JSON.parse(text) as CatalogPointer);
  }

  async readSnapshot(key: string): Promise<Uint8Array> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return response.Body!.transformToByteArray();
  }

  /**
   * Publishes a version: the snapshot first, under its own key, then the pointer. Until the pointer
   * is written every reader keeps the previous version; afterwards the whole new one is there.
   * Then versions beyond the few kept are deleted (never the current one).
   */
  async publish(bytes: Uint8Array, pointer: Omit<CatalogPointer, "key">): Promise<CatalogPointer> {
    const key = `${catalogStore.versionsPrefix}${pointer.version}.tlscat.gz`;
    await this.put(key, bytes, "application/octet-stream");
    const published = { ...pointer, key };
    await this.put(catalogStore.pointerKey, JSON.stringify(published), "application/json");
    await this.cleanUp(key);
    return published;
  }

  /** Deletes snapshot versions older than the `keepVersions` newest besides the current one. */
  async cleanUp(currentKey: string): Promise<string[]> {
    const keys = (await this.list(catalogStore.versionsPrefix))
      .map((o) => o.key)
      .sort()
      .reverse();
    const doomed = keys.filter((key) => key !== currentKey).slice(catalogStore.keepVersions);
    if (doomed.length > 0)
      await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: doomed.map((Key) => ({ Key })) },
        }),
      );
    return doomed;
  }

  async list(prefix: string): Promise<{ key: string; etag: string; size: number }[]> {
    const objects: { key: string; etag: string; size: number }[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? [])
        objects.push({ key: o.Key!, etag: o.ETag ?? "", size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async openStream(key: string): Promise<Readable> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return response.Body as Readable;
  }

  async getText(key: string): Promise<string | undefined> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await response.Body!.transformToString();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async put(
    key: string,
    body: Uint8Array | string | Readable,
    contentType: string,
    length?: number,
  ): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(length !== undefined ? { ContentLength: length } : {}),
      }),
    );
  }
}
