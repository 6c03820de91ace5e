import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traktUrls } from "#config/env.ts";
import { TraktNetworkError, TraktResponseRefusedError } from "#sync/traktErrors.ts";
import type { StoredTraktAuth } from "#trakt/ports.ts";
import { TraktClient, traktResponseBounds } from "#trakt/TraktClient.ts";
import { TraktUserSession } from "#trakt/TraktUserSession.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    server,
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    hits,
  };
}

let elsewhere: Awaited<ReturnType<typeof serve>>;
let fake: Awaited<ReturnType<typeof serve>>;
let client: TraktClient;

beforeAll(async () => {
  elsewhere = await serve((_request, response) => response.end("{}"));
  fake = await serve((request, response) => {
    if (request.url?.startsWith("/oauth/token")) {
      response.writeHead(307, { location: `${elsewhere.url}/steal` });
      return response.end();
    }
    if (request.url === "/users/settings") {
      response.writeHead(200, { "content-type": "application/json" });
      return response.end(`"${"x".repeat(traktResponseBounds.maxResponseBytes)}"`);
    }
    if (request.url?.startsWith("/users/me/lists/1/items")) {
      response.writeHead(200, { "content-type": "application/json", "x-pagination-page-count": "1000" });
      return response.end(
        "[]".replace("[]", JSON.stringify([{ id: 1, rank: 1, type: "movie", movie: { ids: {} } }])),
      );
    }
    if (request.url === "/users/me/lists") {
      response.writeHead(429, { "retry-after": "3600" });
      return response.end();
    }
    response.writeHead(404);
    response.end();
  });
  client = new TraktClient({
    apiUrl: fake.url,
    authUrl: fake.url,
    clientId: "id",
    clientSecret: "secret",
    pageSize: 1,
  });
});

afterAll(() => {
  elsewhere.server.close();
  fake.server.close();
});

describe("outbound to Trakt", () => {
  it("never follows a redirect (the client secret and refresh token would go to another host)", async () => {
    await expect(client.refreshToken("refresh")).rejects.toBeInstanceOf(TraktNetworkError);
    expect(elsewhere.hits).toEqual([]);
  });

  it("refuses an answer larger than the cap", async () => {
    await expect(client.getSettings("token")).rejects.toBeInstanceOf(TraktResponseRefusedError);
  });

  it("reads at most maxPagesPerList pages of one list", async () => {
    await expect(client.getAllListItems("token", 1)).rejects.toBeInstanceOf(TraktResponseRefusedError);
    expect(fake.hits.filter((hit) => hit.includes("/lists/1/items"))).toHaveLength(
      traktResponseBounds.maxPagesPerList,
    );
  });

  it("does not sleep through a Retry-After longer than the cap; the call fails for a later retry", async () => {
    // Prepare
    const slept: number[] = [];
    const auth: StoredTraktAuth = {
      accessToken: "a",
      refreshToken: "r",
      issuedAt: Date.now(),
      expiresAt: Date.now() + 86_400_000,
      traktSlug: "s",
    };
    const session = new TraktUserSession({
      client,
      userId: "u",
      auth: {
        load: async () => auth,
        refreshSerialized: async () => auth,
        markRelinkRequired: async () => {},
      },
      pacer: { acquire: async () => ({ sent: async () => undefined }), holdOff: async () => {} },
      sleep: async (ms) => {
        slept.push(ms);
      },
    });

    // Act / Assess
    await expect(session.getLists()).rejects.toMatchObject({ status: 429 });
    expect(slept).toEqual([]);
  });

  it("requires https Trakt URLs in AWS", () => {
    expect(() =>
      traktUrls({ AWS_LAMBDA_FUNCTION_NAME: "api", TRAKT_API_URL: "http://api.trakt.tv" }),
    ).toThrow(/https/);
    expect(traktUrls({ AWS_LAMBDA_FUNCTION_NAME: "api" }).apiUrl).toBe("https://api.trakt.tv");
    expect(traktUrls({ TRAKT_API_URL: "http://127.0.0.1:4010" }).apiUrl).toBe("http://127.0.0.1:4010");
  });
});
