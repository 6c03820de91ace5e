import type { RemoteEntry, RemoteEntryType } from "#domain/remoteEntry.ts";
import { remoteEntryTypes } from "#domain/remoteEntry.ts";
import {
  type AccountLimitHeaders,
  TraktHttpError,
  TraktIncompleteReadError,
  TraktNetworkError,
  TraktResponseRefusedError,
} from "#sync/traktErrors.ts";
import type {
  NewTraktList,
  TraktAddResult,
  TraktItemsBody,
  TraktList,
  TraktRemoveResult,
  TraktReorderResult,
  TraktSettings,
} from "#sync/traktSession.ts";
import type { TraktDeviceCode, TraktListItem, TraktTokenResponse } from "./types.ts";

interface TraktClientConfig {
  apiUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  userAgent?: string;
  /** Largest page Trakt serves; larger values are clamped by Trakt anyway. */
  pageSize?: number;
  /** Called once per HTTP request, for counting calls (benchmark, metrics). */
  onRequest?: (request: {
    method: string;
    path: string;
    status: number | "network-error";
    ms: number;
  }) => void;
}

interface RequestOptions {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  accessToken?: string;
  body?: unknown;
  base?: "api" | "auth";
}

interface RawResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Bounds on what we accept from Trakt (and anyone answering in its name). */
export const traktResponseBounds = {
  /** Largest response body read; a page of 250 list items is about 250 KB. */
  maxResponseBytes: 4 * 1024 * 1024,
  /** Most pages read of one list (40 × 250 = 10,000 entries, twice our largest list). */
  maxPagesPerList: 40,
} as const;

/**
 * Plain HTTP client for the Trakt endpoints we use: one method per call, the real headers and
 * response shapes, any 2xx is success, anything else a TraktHttpError. No retries here: pacing,
 * token refresh and retry policy live in TraktUserSession.
 */
export class TraktClient {
  readonly config: Required<Omit<TraktClientConfig, "onRequest">> & Pick<TraktClientConfig, "onRequest">;

  constructor(config: TraktClientConfig) {
    this.config = {
      timeoutMs: 15_000,
      userAgent: "trakt-list-sync/0.1.0",
      pageSize: 250,
      ...config,
      apiUrl: config.apiUrl.replace(/\/+$/, ""),
      authUrl: config.authUrl.replace(/\/+$/, ""),
    };
  }

  // ---- account --------------------------------------------------------------------------------
  async getSettings(accessToken: string): Promise<TraktSettings> {
    return (await this.request<TraktSettings>({ method: "GET", path: "/users/settings", accessToken })).body;
  }

  // ---- lists ----------------------------------------------------------------------------------
  async getLists(accessToken: string): Promise<TraktList[]> {
    return (await this.request<TraktList[]>({ method: "GET", path: "/users/me/lists", accessToken })).body;
  }

  async createList(accessToken: string, list: NewTraktList): Promise<TraktList> {
    const body = { ...list, display_numbers: true, allow_comments: false, sort_by: "rank", sort_how: "asc" };
    return (await this.request<TraktList>({ method: "POST", path: "/users/me/lists", accessToken, body }))
      .body;
  }

  async updateList(accessToken: string, listId: number, changes: Partial<NewTraktList>): Promise<TraktList> {
    const path = `/users/me/lists/${listId}`;
    return (await this.request<TraktList>({ method: "PUT", path, accessToken, body: changes })).body;
  }

  async deleteList(accessToken: string, listId: number): Promise<void> {
    await this.request({ method: "DELETE", path: `/users/me/lists/${listId}`, accessToken });
  }

  /**
   * Every item of a list, reading all pages (Trakt serves at most 250 per page). A read whose pages do not add
   * up to Trakt's `X-Pagination-Item-Count` (a page cut short, or the list changed between pages) is a
   * TraktIncompleteReadError, never a shorter list.
   */
  async getAllListItems(accessToken: string, listId: number): Promise<RemoteEntry[]> {
    const entries: RemoteEntry[] = [];
    const limit = this.config.pageSize;
    let received = 0;
    for (let page = 1; ; page++) {
      if (page > traktResponseBounds.maxPagesPerList) {
        throw new TraktResponseRefusedError(
          `The Trakt list has more than ${traktResponseBounds.maxPagesPerList * limit} entries; we read no further`,
        );
      }
      const path = `/users/me/lists/${listId}/items?page=${page}&limit=${limit}`;
      const response = await this.request<TraktListItem[]>({ method: "GET", path, accessToken });
      received += response.body.length;
      entries.push(...response.body.map(toRemoteEntry).filter((e): e is RemoteEntry => e !== undefined));
      const pageCount = headerNumber(response.headers, "x-pagination-page-count");
      const lastPage =
        pageCount !== undefined && pageCount > 0 ? page >= pageCount : response.body.length < limit;
      if (!lastPage && response.body.length > 0) continue;
      const itemCount = headerNumber(response.headers, "x-pagination-item-count");
      if (itemCount !== undefined && itemCount !== received)
        throw new TraktIncompleteReadError("GET", path, itemCount, received);
      return entries;
    }
  }

  async addItems(accessToken: string, listId: number, items: TraktItemsBody): Promise<TraktAddResult> {
    const path = `/users/me/lists/${listId}/items`;
    return (await this.request<TraktAddResult>({ method: "POST", path, accessToken, body: items })).body;
  }

  async removeItems(accessToken: string, listId: number, items: TraktItemsBody): Promise<TraktRemoveResult> {
    const path = `/users/me/lists/${listId}/items/remove`;
    return (await this.request<TraktRemoveResult>({ method: "POST", path, accessToken, body: items })).body;
  }

  async reorderItems(
    accessToken: string,
    listId: number,
    listItemIds: number[],
  ): Promise<TraktReorderResult> {
    const path = `/users/me/lists/${listId}/items/reorder`;
    const body = { rank: listItemIds };
    return (await this.request<TraktReorderResult>({ method: "POST", path, accessToken, body })).body;
  }

  // ---- OAuth ----------------------------------------------------------------------------------
  async requestDeviceCode(): Promise<TraktDeviceCode> {
    const body = { client_id: this.config.clientId };
    return (
      await this.request<TraktDeviceCode>({ method: "POST", path: "/oauth/device/code", body, base: "auth" })
    ).body;
  }

  /** Polls the device flow once. 400 (pending) and the other device statuses surface as TraktHttpError. */
  async pollDeviceToken(deviceCode: string): Promise<TraktTokenResponse> {
    const { clientId, clientSecret } = this.config;
    const body = { code: deviceCode, client_id: clientId, client_secret: clientSecret };
    const path = "/oauth/device/token";
    return (await this.request<TraktTokenResponse>({ method: "POST", path, body, base: "auth" })).body;
  }

  async refreshToken(refreshToken: string): Promise<TraktTokenResponse> {
    const { clientId, clientSecret } = this.config;
    const body = {
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
      grant_type: "refresh_token",
    };
    return (
      await this.request<TraktTokenResponse>({ method: "POST", path: "/oauth/token", body, base: "auth" })
    ).body;
  }

  /** Revokes an access token at Trakt (`POST /oauth/revoke`); Trakt answers 200 for unknown tokens too. */
  async revokeToken(token: string): Promise<void> {
    const { clientId, clientSecret } = this.config;
    const body = { token, client_id: clientId, client_secret: clientSecret };
    await this.request<unknown>({ method: "POST", path: "/oauth/revoke", body, base: "auth" });
  }

  // ---- transport ------------------------------------------------------------------------------
  private async request<T>(options: RequestOptions): Promise<RawResponse<T>> {
    const { method, path, accessToken, body } = options;
    const base = options.base === "auth" ? this.config.authUrl : this.config.apiUrl;
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "trakt-api-version": "2",
      "trakt-api-key": this.config.clientId,
      "User-Agent": this.config.userAgent,
    };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    const started = Date.now();
    let response: Response;
    let text: string;
    try {
      // No redirects: following one would send the client secret or a token to another host.
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.timeoutMs),
        redirect: "error",
      });
      text = await readBounded(response, traktResponseBounds.maxResponseBytes);
    } catch (error) {
      if (error instanceof TraktResponseRefusedError) {
        this.config.onRequest?.({ method, path, status: "network-error", ms: Date.now() - started });
        throw error;
      }
      this.config.onRequest?.({ method, path, status: "network-error", ms: Date.now() - started });
      throw new TraktNetworkError(method, path, error);
    }
    this.config.onRequest?.({ method, path, status: response.status, ms: Date.now() - started });
    if (response.status < 200 || response.status > 299) {
      throw new TraktHttpError({
        status: response.status,
        method,
        path,
        bodyText: text.slice(0, 500),
        retryAfterSeconds: parseRetryAfter(response.headers.get("retry-after")),
        rateLimit: parseJsonHeader(response.headers.get("x-ratelimit")),
        accountLimit: response.status === 420 ? accountLimitOf(response.headers) : undefined,
        oauthError: oauthErrorOf(text),
      });
    }
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }
}

/** The body as text, refusing more than `maxBytes` (announced or read). */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new TraktResponseRefusedError(`Trakt's answer is larger than ${maxBytes} bytes; it was not read`);
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString("utf8");
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
}

function toRemoteEntry(item: TraktListItem): RemoteEntry | undefined {
  const type = item.type as RemoteEntryType;
  if (!remoteEntryTypes.includes(type)) return undefined;
  const media = item[type] as { ids?: { trakt?: number; tmdb?: number; imdb?: string } } | undefined;
  const ids = media?.ids ?? {};
  return {
    listItemId: item.id,
    rank: item.rank,
    type,
    ids: {
      ...(ids.trakt !== undefined ? { trakt: ids.trakt } : {}),
      ...(ids.tmdb != null ? { tmdb: ids.tmdb } : {}),
      ...(ids.imdb ? { imdb: ids.imdb } : {}),
    },
  };
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** What a 420's `X-Account-Limit`, `X-VIP-User` and `X-Upgrade-URL` headers say; undefined when it sent none. */
function accountLimitOf(headers: Headers): AccountLimitHeaders | undefined {
  const limit = headerNumber(headers, "x-account-limit");
  const vipHeader = headers.get("x-vip-user")?.trim().toLowerCase();
  const upgradeUrl = headers.get("x-upgrade-url")?.trim() || undefined;
  const vip = vipHeader === "true" ? true : vipHeader === "false" ? false : undefined;
  if (limit === undefined && vip === undefined && upgradeUrl === undefined) return undefined;
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(vip !== undefined ? { vip } : {}),
    ...(upgradeUrl !== undefined ? { upgradeUrl } : {}),
  };
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function parseJsonHeader<T>(value: string | null): T | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

function oauthErrorOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}
