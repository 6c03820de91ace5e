import { randomUUID } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { FieldSealer, TokenCipher } from "#crypto/TokenCipher.ts";
import { tokenCipherFromEnv } from "#crypto/tokenCipherFromEnv.ts";
import type { DirectoryPosition } from "#sync/catalogRefresh.ts";
import { TraktAuthRequiredError } from "#sync/traktErrors.ts";
import type { StoredTraktAuth, TraktAuthStore } from "#trakt/ports.ts";
import { unlessConditionFails } from "./conditional.ts";
import { entity, traktAccountKey, userDirectoryKey, userDirectoryPks, userKey } from "./keys.ts";

/** Where a pass over the user directory stands. */
type TraktLinkState = "unlinked" | "pending" | "linked" | "relink_required";

interface UserProfile {
  userId: string;
  traktLinkState: TraktLinkState;
  traktSlug?: string;
  traktUsername?: string;
  deviceCode?: string;
  deviceCodeExpiresAt?: number;
  relinkReason?: string;
  linkedAt?: string;
  /** Tokens Trakt handed over for a device code whose account (username) is not confirmed yet. */
  pendingLink?: Omit<StoredTraktAuth, "traktSlug">;
}

/** The Trakt account is already linked to another user of this install. */
export class TraktAccountInUseError extends Error {
  constructor(traktSlug: string) {
    super(`The Trakt account ${traktSlug} is already linked to another user`);
    this.name = "TraktAccountInUseError";
  }
}

const pendingLinkAttributes = [
  "linkAccessToken",
  "linkRefreshToken",
  "linkIssuedAt",
  "linkExpiresAt",
] as const;

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
  private readonly cipher: TokenCipher;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    options: { clock?: () => number; cipher?: TokenCipher } = {},
  ) {
    this.doc = doc;
    this.tableName = tableName;
    this.clock = options.clock ?? Date.now;
    this.cipher = options.cipher ?? tokenCipherFromEnv();
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
      ...(typeof record.linkAccessToken === "string"
        ? {
            pendingLink: {
              accessToken: await this.cipher.decryptField(userId, "linkAccessToken", record.linkAccessToken),
              refreshToken: await this.cipher.decryptField(
                userId,
                "linkRefreshToken",
                String(record.linkRefreshToken),
              ),
              issuedAt: Number(record.linkIssuedAt),
              expiresAt: Number(record.linkExpiresAt),
            },
          }
        : {}),
    };
  }

  /**
   * Keeps the tokens of a device code the moment Trakt hands them over (the code is single use), until
   * the account they belong to is confirmed; the device code itself is spent.
   */
  async storePendingLink(userId: string, tokens: Omit<StoredTraktAuth, "traktSlug">): Promise<void> {
    // Encrypted like the link's own tokens (each field under its own name).
    const sealed = (await this.cipher.sealerFor(userId))({
      linkAccessToken: tokens.accessToken,
      linkRefreshToken: tokens.refreshToken,
    });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression:
          "SET linkAccessToken = :access, linkRefreshToken = :refresh, linkIssuedAt = :issued, linkExpiresAt = :expires, updatedAt = :now REMOVE deviceCode, deviceCodeExpiresAt",
        ExpressionAttributeValues: {
          ":access": sealed.linkAccessToken,
          ":refresh": sealed.linkRefreshToken,
          ":issued": tokens.issuedAt,
          ":expires": tokens.expiresAt,
          ":now": new Date(this.clock()).toISOString(),
        },
      }),
    );
  }

  /** Forgets tokens that will not become the user's link (the account is someone else's). */
  async dropPendingLink(userId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression: `REMOVE ${pendingLinkAttributes.join(", ")}`,
      }),
    );
  }

  /** Remembers the device code of a device flow the user started (tokens of an unfinished earlier one are dropped). */
  async startDeviceLink(userId: string, deviceCode: string, expiresAt: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression: `SET entity = :entity, userId = :userId, deviceCode = :code, deviceCodeExpiresAt = :expires, updatedAt = :now, traktLinkState = if_not_exists(traktLinkState, :pending), createdAt = if_not_exists(createdAt, :now) REMOVE ${pendingLinkAttributes.join(", ")}`,
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

  /**
   * Stores the tokens of a completed link, replacing any earlier ones, and claims the Trakt account for
   * this user in the same transaction: one Trakt account links to one user only (TraktAccountInUseError).
   * A user who switches accounts gives up the claim on the old one.
   */
  async completeLink(userId: string, auth: StoredTraktAuth, username: string): Promise<void> {
    const now = new Date(this.clock()).toISOString();
    const sealed = sealTokens(await this.cipher.sealerFor(userId), auth);
    const previousSlug = (await this.getRecord(userId))?.traktSlug;
    const ownClaim = "attribute_not_exists(pk) OR userId = :userId";
    const release =
      typeof previousSlug === "string" && previousSlug !== auth.traktSlug
        ? [
            {
              Delete: {
                TableName: this.tableName,
                Key: traktAccountKey(previousSlug),
                ConditionExpression: ownClaim,
                ExpressionAttributeValues: { ":userId": userId },
              },
            },
          ]
        : [];
    const claim = {
      Put: {
        TableName: this.tableName,
        Item: { ...traktAccountKey(auth.traktSlug), entity: "TRAKT_ACCOUNT", userId, linkedAt: now },
        ConditionExpression: ownClaim,
        ExpressionAttributeValues: { ":userId": userId },
      },
    };
    const profile = {
      Update: {
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression: `SET entity = :entity, userId = :userId, traktLinkState = :linked, traktSlug = :slug, traktUsername = :username, accessToken = :access, refreshToken = :refresh, issuedAt = :issued, expiresAt = :expires, linkedAt = :now, updatedAt = :now, createdAt = if_not_exists(createdAt, :now) REMOVE deviceCode, deviceCodeExpiresAt, relinkReason, refreshLockOwner, refreshLockUntil, ${pendingLinkAttributes.join(", ")}`,
        ExpressionAttributeValues: {
          ":entity": entity.user,
          ":userId": userId,
          ":linked": "linked",
          ":slug": auth.traktSlug,
          ":username": username,
          ":access": sealed.accessToken,
          ":refresh": sealed.refreshToken,
          ":issued": auth.issuedAt,
          ":expires": auth.expiresAt,
          ":now": now,
        },
      },
    };
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [claim, profile, ...release] }));
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed"
      ) {
        throw new TraktAccountInUseError(auth.traktSlug);
      }
      throw error;
    }
  }

  async load(userId: string): Promise<StoredTraktAuth | undefined> {
    const record = await this.getRecord(userId);
    if (record?.traktLinkState === "relink_required") throw new TraktAuthRequiredError();
    if (record?.traktLinkState !== "linked" || typeof record.accessToken !== "string") return undefined;
    return {
      accessToken: await this.cipher.decryptField(userId, "accessToken", record.accessToken),
      refreshToken: await this.cipher.decryptField(userId, "refreshToken", String(record.refreshToken)),
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
      let seal: FieldSealer;
      try {
        seal = await this.cipher.sealerFor(userId);
        fresh = await refresh(current);
      } catch (error) {
        await this.releaseRefreshLock(userId, owner);
        throw error;
      }
      const sealed = sealTokens(seal, fresh);
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression:
            "SET accessToken = :access, refreshToken = :refresh, issuedAt = :issued, expiresAt = :expires, updatedAt = :now REMOVE refreshLockOwner, refreshLockUntil",
          ConditionExpression: "refreshLockOwner = :owner",
          ExpressionAttributeValues: {
            ":access": sealed.accessToken,
            ":refresh": sealed.refreshToken,
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

  /**
   * Starts deleting the account: the profile (with the tokens) stays until the Trakt lists of
   * `pendingListIds` are deleted (each list-deleted run settles its id). False without a profile.
   */
  async beginAccountDeletion(userId: string, pendingListIds: readonly string[]): Promise<boolean> {
    const written = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: `SET deletionRequestedAt = :now, updatedAt = :now${
            pendingListIds.length > 0 ? " ADD pendingListDeletes :ids" : ""
          }`,
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: {
            ":now": new Date(this.clock()).toISOString(),
            ...(pendingListIds.length > 0 ? { ":ids": new Set(pendingListIds) } : {}),
          },
        }),
      ),
    );
    return written !== undefined;
  }

  /**
   * A deleted list's Trakt side is done. True when this was the last list an account deletion
   * waited for (idempotent: a retry of the last one answers true again).
   */
  async settleListDeletion(userId: string, listId: string): Promise<boolean> {
    const response = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: "DELETE pendingListDeletes :id",
          ConditionExpression: "attribute_exists(deletionRequestedAt)",
          ExpressionAttributeValues: { ":id": new Set([listId]) },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    return response !== undefined && response.Attributes?.pendingListDeletes === undefined;
  }

  /** Deletes the profile (tokens included), its claim on the Trakt account and the directory entry. */
  async deleteUser(userId: string): Promise<void> {
    const slug = (await this.getRecord(userId))?.traktSlug;
    if (typeof slug === "string") await this.releaseTraktAccount(userId, slug);
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: userKey(userId) }));
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: userDirectoryKey(userId) }));
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
   * Forgets the user's Trakt link (tokens, slug, username, device flow; any refresh lock, so a refresh
   * in flight cannot store new tokens) and gives up the claim on the Trakt account. The caller revokes
   * the token at Trakt first (the stored tokens are ciphertext).
   */
  async unlink(userId: string): Promise<void> {
    const response = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: `SET traktLinkState = :unlinked, updatedAt = :now REMOVE accessToken, refreshToken, issuedAt, expiresAt, traktSlug, traktUsername, deviceCode, deviceCodeExpiresAt, relinkReason, linkedAt, refreshLockOwner, refreshLockUntil, ${pendingLinkAttributes.join(", ")}`,
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: {
            ":unlinked": "unlinked",
            ":now": new Date(this.clock()).toISOString(),
          },
          ReturnValues: "ALL_OLD",
        }),
      ),
    );
    const old = response?.Attributes;
    if (typeof old?.traktSlug === "string") await this.releaseTraktAccount(userId, old.traktSlug);
  }

  /** Gives up the user's claim on a Trakt account (if it is still theirs), so another user may link it. */
  private async releaseTraktAccount(userId: string, traktSlug: string): Promise<void> {
    await unlessConditionFails(
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: traktAccountKey(traktSlug),
          ConditionExpression: "userId = :userId",
          ExpressionAttributeValues: { ":userId": userId },
        }),
      ),
    );
  }

  private async takeRefreshLock(userId: string, owner: string): Promise<boolean> {
    const now = this.clock();
    const written = await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: "SET refreshLockOwner = :owner, refreshLockUntil = :until",
          ConditionExpression:
            "attribute_exists(pk) AND (attribute_not_exists(refreshLockUntil) OR refreshLockUntil < :now)",
          ExpressionAttributeValues: { ":owner": owner, ":until": now + refreshLockMs, ":now": now },
        }),
      ),
    );
    return written !== undefined;
  }

  private async releaseRefreshLock(userId: string, owner: string): Promise<void> {
    await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: "REMOVE refreshLockOwner, refreshLockUntil",
          ConditionExpression: "refreshLockOwner = :owner",
          ExpressionAttributeValues: { ":owner": owner },
        }),
      ),
    );
  }

  private async getRecord(userId: string): Promise<Record<string, unknown> | undefined> {
    const response = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: userKey(userId), ConsistentRead: true }),
    );
    return response.Item;
  }
}

/** The token pair as stored: each token encrypted on its own (see TokenCipher). */
function sealTokens(seal: FieldSealer, auth: StoredTraktAuth) {
  return seal({ accessToken: auth.accessToken, refreshToken: auth.refreshToken });
}

function pick(record: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    names.filter((name) => record[name] !== undefined).map((name) => [name, record[name]]),
  );
}
