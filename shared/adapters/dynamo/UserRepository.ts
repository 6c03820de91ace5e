import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { StoredTraktAuth, TraktAuthStore } from "../../sync/ports.ts";
import { entity, userDirectoryKey, userDirectoryPks, userKey } from "./keys.ts";

/** Where a pass over the user directory stands. */
export interface DirectoryPosition {
  shard: number;
  userId: string;
}

export type TraktLinkState = "unlinked" | "pending" | "linked" | "relink_required";

export interface UserProfile {
  userId: string;
  traktLinkState: TraktLinkState;
  traktSlug?: string;
  traktUsername?: string;
  deviceCode?: string;
  deviceCodeExpiresAt?: number;
  relinkReason?: string;
  linkedAt?: string;
}

/** How long one worker may hold a user's refresh lock. */
const refreshLockMs = 30_000;
const lockWaitMs = 250;
const lockTries = 120;

/**
 * Users and their Trakt authorization. Refresh tokens are single use, so refreshes are serialized
 * per user with a lock on the user record, and the new token pair is stored in the same write
 * that releases the lock.
 */
export class UserRepository implements TraktAuthStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: () => number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, clock: () => number = Date.now) {
    this.doc = doc;
    this.tableName = tableName;
    this.clock = clock;
  }

  /** Notes that the user has lists, for operator views over all users (idempotent). */
  async register(userId: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...userDirectoryKey(userId), entity: "USER_DIRECTORY", userId },
      }),
    );
  }

  /** Every registered user id. */
  async *allUserIds(): AsyncIterable<string> {
    for (const pk of userDirectoryPks) {
      const pages = paginateQuery(
        { client: this.doc },
        {
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) yield String(item.userId);
    }
  }

  /**
   * Registered users in directory order (shard by shard, by id), starting after `after`: lets a long
   * pass over every user stop and continue later without reading the directory again.
   */
  async *usersAfter(after?: DirectoryPosition): AsyncIterable<DirectoryPosition> {
    for (let shard = after?.shard ?? 0; shard < userDirectoryPks.length; shard++) {
      const pk = userDirectoryPks[shard]!;
      const startAfter = after && shard === after.shard ? { pk, sk: after.userId } : undefined;
      const pages = paginateQuery(
        { client: this.doc },
        {
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ...(startAfter ? { ExclusiveStartKey: startAfter } : {}),
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? []) yield { shard, userId: String(item.userId) };
    }
  }

  async getProfile(userId: string): Promise<UserProfile | undefined> {
    const record = await this.getRecord(userId);
    if (!record) return undefined;
    return {
      userId,
      traktLinkState: (record.traktLinkState as TraktLinkState) ?? "unlinked",
      ...pick(record, [
        "traktSlug",
        "traktUsername",
        "deviceCode",
        "deviceCodeExpiresAt",
        "relinkReason",
        "linkedAt",
      ]),
    };
  }

  /** Remembers the device code of a device flow the user started. */
  async startDeviceLink(userId: string, deviceCode: string, expiresAt: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression:
          "SET entity = :entity, userId = :userId, deviceCode = :code, deviceCodeExpiresAt = :expires, updatedAt = :now, traktLinkState = if_not_exists(traktLinkState, :pending), createdAt = if_not_exists(createdAt, :now)",
        ExpressionAttributeValues: {
          ":entity": entity.user,
          ":userId": userId,
          ":code": deviceCode,
          ":expires": expiresAt,
          ":pending": "pending",
          ":now": new Date(this.clock()).toISOString(),
        },
      }),
    );
  }

  /** Stores the tokens of a completed link, replacing any earlier ones. */
  async completeLink(userId: string, auth: StoredTraktAuth, username: string): Promise<void> {
    const now = new Date(this.clock()).toISOString();
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression:
          "SET entity = :entity, userId = :userId, traktLinkState = :linked, traktSlug = :slug, traktUsername = :username, accessToken = :access, refreshToken = :refresh, issuedAt = :issued, expiresAt = :expires, linkedAt = :now, updatedAt = :now, createdAt = if_not_exists(createdAt, :now) REMOVE deviceCode, deviceCodeExpiresAt, relinkReason, refreshLockOwner, refreshLockUntil",
        ExpressionAttributeValues: {
          ":entity": entity.user,
          ":userId": userId,
          ":linked": "linked",
          ":slug": auth.traktSlug,
          ":username": username,
          ":access": auth.accessToken,
          ":refresh": auth.refreshToken,
          ":issued": auth.issuedAt,
          ":expires": auth.expiresAt,
          ":now": now,
        },
      }),
    );
  }

  async load(userId: string): Promise<StoredTraktAuth | undefined> {
    const record = await this.getRecord(userId);
    if (record?.traktLinkState !== "linked" || typeof record.accessToken !== "string") return undefined;
    return {
      accessToken: record.accessToken,
      refreshToken: String(record.refreshToken),
      issuedAt: Number(record.issuedAt),
      expiresAt: Number(record.expiresAt),
      traktSlug: String(record.traktSlug),
    };
  }

  async refreshSerialized(
    userId: string,
    staleAccessToken: string,
    refresh: (current: StoredTraktAuth) => Promise<StoredTraktAuth>,
  ): Promise<StoredTraktAuth> {
    for (let attempt = 0; attempt < lockTries; attempt++) {
      const owner = randomUUID();
      if (!(await this.takeRefreshLock(userId, owner))) {
        await new Promise((resolve) => setTimeout(resolve, lockWaitMs));
        const current = await this.load(userId);
        if (current && current.accessToken !== staleAccessToken) return current;
        continue;
      }
      const current = await this.load(userId);
      if (!current) {
        await this.releaseRefreshLock(userId, owner);
        throw new Error("Trakt is not linked for this user");
      }
      if (current.accessToken !== staleAccessToken) {
        await this.releaseRefreshLock(userId, owner);
        return current;
      }
      let fresh: StoredTraktAuth;
      try {
        fresh = await refresh(current);
      } catch (error) {
        await this.releaseRefreshLock(userId, owner);
        throw error;
      }
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression:
            "SET accessToken = :access, refreshToken = :refresh, issuedAt = :issued, expiresAt = :expires, updatedAt = :now REMOVE refreshLockOwner, refreshLockUntil",
          ConditionExpression: "refreshLockOwner = :owner",
          ExpressionAttributeValues: {
            ":access": fresh.accessToken,
            ":refresh": fresh.refreshToken,
            ":issued": fresh.issuedAt,
            ":expires": fresh.expiresAt,
            ":now": new Date(this.clock()).toISOString(),
            ":owner": owner,
          },
        }),
      );
      return fresh;
    }
    throw new Error(`Could not take the Trakt refresh lock for user ${userId}`);
  }

  async markRelinkRequired(userId: string, reason: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression:
          "SET traktLinkState = :relink, relinkReason = :reason, updatedAt = :now REMOVE accessToken, refreshToken",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: {
          ":relink": "relink_required",
          ":reason": reason,
          ":now": new Date(this.clock()).toISOString(),
        },
      }),
    );
  }

  /**
   * Forgets the user's Trakt link (tokens, slug, username, device flow) and answers the tokens it
   * held, so the caller can revoke them at Trakt.
   */
  async unlink(userId: string): Promise<{ accessToken?: string; refreshToken?: string } | undefined> {
    const response = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression:
            "SET traktLinkState = :unlinked, updatedAt = :now REMOVE accessToken, refreshToken, issuedAt, expiresAt, traktSlug, traktUsername, deviceCode, deviceCodeExpiresAt, relinkReason, linkedAt, refreshLockOwner, refreshLockUntil",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: {
            ":unlinked": "unlinked",
            ":now": new Date(this.clock()).toISOString(),
          },
          ReturnValues: "ALL_OLD",
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      });
    const old = response?.Attributes;
    if (!old) return undefined;
    return {
      ...(typeof old.accessToken === "string" ? { accessToken: old.accessToken } : {}),
      ...(typeof old.refreshToken === "string" ? { refreshToken: old.refreshToken } : {}),
    };
  }

  private async takeRefreshLock(userId: string, owner: string): Promise<boolean> {
    const now = this.clock();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: "SET refreshLockOwner = :owner, refreshLockUntil = :until",
          ConditionExpression:
            "attribute_exists(pk) AND (attribute_not_exists(refreshLockUntil) OR refreshLockUntil < :now)",
          ExpressionAttributeValues: { ":owner": owner, ":until": now + refreshLockMs, ":now": now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async releaseRefreshLock(userId: string, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: "REMOVE refreshLockOwner, refreshLockUntil",
          ConditionExpression: "refreshLockOwner = :owner",
          ExpressionAttributeValues: { ":owner": owner },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async getRecord(userId: string): Promise<Record<string, unknown> | undefined> {
    const response = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: userKey(userId), ConsistentRead: true }),
    );
    return response.Item;
  }
}

function pick(record: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    names.filter((name) => record[name] !== undefined).map((name) => [name, record[name]]),
  );
}
