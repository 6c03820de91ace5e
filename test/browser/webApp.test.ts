/// <reference lib="dom" />
/**
 * The web page end to end in real Chromium (Debian's `chromium`, driven by playwright-core; nothing
 * downloads a browser) against the whole local stack and the Trakt sandbox. Screenshots of the main
 * screens go to test-artifacts/screens (git-ignored).
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseCatalogFeed } from "#catalog/catalogFeed.ts";
import { sampleCatalogPath } from "#infra/local/catalog/generateSampleCatalog.ts";
import { type LocalStack, startLocalStack } from "#infra/local/runtime/localStack.ts";
import { eventually } from "#test/support/eventually.ts";
import { buildWeb, webDist } from "#web/build.ts";

const chromiumPath = "/usr/bin/chromium";
const screens = join(process.cwd(), "test-artifacts/screens");
const timings: Record<string, number> = {};

let stack: LocalStack;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium`);
  mkdirSync(screens, { recursive: true });
  await buildWeb({ quiet: true });
  stack = await startLocalStack({
    port: 0,
    dynamoEndpoint: inject("dynamoEndpoint"),
    tableName: `web-${randomUUID()}`,
    webDir: webDist,
    env: { POWERTOOLS_LOG_LEVEL: "ERROR" },
  });
  // A fresh user-data-dir each run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "chromium-")), {
    executablePath: chromiumPath,
    viewport: { width: 1200, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (Object.keys(timings).length > 0) console.log(`web page timings: ${JSON.stringify(timings)}`);
});

/** Waits until the locator shows (playwright-core has no `expect`; this is its waiting half). */
const visible = (locator: Locator, timeout = 15_000) =>
  locator.first().waitFor({ state: "visible", timeout });
const until = <T>(check: () => T | undefined | false, timeout = 30_000, what = "condition") =>
  eventually(async () => check() || undefined, timeout, what);

const shot = (name: string) => page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });

/** The row of a list in the lists table. */
const row = (title: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name: title }) });

describe("the web page", () => {
  it("signs in, links Trakt, and signs out", async () => {
    const started = Date.now();
    await page.goto(`${stack.apiUrl}/`);
    await visible(page.getByLabel("User name"));
    timings.firstRenderMs = await page.evaluate(() => {
      const mark = performance.getEntriesByName("app-rendered")[0];
      return Math.round(mark ? mark.startTime : -1);
    });
    timings.loadToSignInMs = Date.now() - started;
    await shot("sign-in");

    // A 400 from the local sign-in route shows next to its field.
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page.getByText("User name: 1–64"));

    await page.getByLabel("User name").fill("alice");
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page.getByRole("button", { name: "Sign out" }));

    await page.getByRole("button", { name: "Link Trakt" }).click();
    const code = (await page.locator(".device .code").textContent())!.trim();
    await shot("link-trakt");
    stack.sandbox!.approveDevice(code, "alice-trakt");
    await visible(page.getByText("Linked as alice-trakt"), 15_000);

    await page.getByRole("button", { name: "Sign out" }).click();
    await visible(page.getByLabel("User name"));
    await page.getByLabel("User name").fill("alice");
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page.getByText("Linked as alice-trakt"));
  });

  it("creates a custom list with the live preview and shows it synced, refreshing by itself", async () => {
    await page.getByRole("button", { name: "New list" }).click();
    await page.getByLabel("Title").fill("Best sci-fi");
    await page.getByRole("radio", { name: "Custom" }).check();
    await page.getByRole("checkbox", { name: "science-fiction" }).check();
    await page.getByLabel("Minimum votes").fill("1000");
    await page.getByLabel("Item limit").fill("20");
    const preview = page.getByRole("region", { name: "Preview" });
    await visible(preview.getByText("20 titles, best first"));
    const firstTitle = (await preview.getByRole("listitem").first().textContent())!;

    // A 400 from the preview shows next to the field it names.
    await page.getByLabel("Year from").fill("2010");
    await page.getByLabel("Year to").fill("1990");
    await visible(page.locator("#yearTo-error").filter({ hasText: "must not be before yearFrom" }));
    expect(await page.getByLabel("Year to").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Year from").fill("");
    await page.getByLabel("Year to").fill("");
    await visible(preview.getByText("20 titles, best first"));
    await shot("new-custom-list");

    const created = Date.now();
    await page.getByRole("button", { name: "Create list" }).click();
    await visible(page.getByRole("heading", { name: "Best sci-fi" }));
    await page.getByRole("link", { name: "← All lists" }).click();
    // The table shows pending/syncing first and turns synced with no reload.
    await visible(page.getByText("this table updates by itself"));
    const reloads: string[] = [];
    page.on("framenavigated", (frame) => reloads.push(frame.url()));
    await visible(row("Best sci-fi").getByText("synced", { exact: true }), 60_000);
    timings.customListSyncedOnPageMs = Date.now() - created;
    expect(reloads).toEqual([]);
    expect(await row("Best sci-fi").textContent()).toContain("20 / 20");
    await shot("lists");

    const onTrakt = stack.sandbox!.listsOf("alice-trakt").find((l) => l.name === "Best sci-fi");
    expect(onTrakt?.items).toHaveLength(20);
    // The preview's first title is Trakt's first item (the sandbox names titles by id; our catalog by title).
    const firstOnTrakt = onTrakt!.items[0]!;
    const tmdb = (firstOnTrakt.movie ?? firstOnTrakt.show)!.ids.tmdb;
    const catalog = parseCatalogFeed(readFileSync(sampleCatalogPath, "utf8"));
    const title = catalog.find((t) => t.tmdbId === tmdb && t.mediaType === firstOnTrakt.type)!.title;
    expect(firstTitle).toContain(title);
  });

  it("builds a manual list from search, reorders, shows pending changes, syncs, edits and deletes it", async () => {
    await page.getByRole("button", { name: "New list" }).click();
    await page.getByLabel("Title").fill("My picks");
    await page.getByRole("radio", { name: "Manual" }).check();
    await page.getByLabel("Search titles").fill("iron");
    const results = page.locator(".results li");
    await visible(results.first());
    const names = [];
    for (let i = 0; i < 3; i++) {
      names.push(
        (await results.nth(i).locator("span").first().textContent())!.replace(/\s+(movie|show)$/, ""),
      );
      await results.nth(i).getByRole("button", { name: "Add" }).click();
    }
    const picks = page.locator(".picks li .pick-title");
    await eventually(async () => ((await picks.count()) === 3 ? true : undefined), 10_000, "3 picks");
    // Move the third pick to the top, from the keyboard.
    await page.getByRole("button", { name: `Move ${names[2]} up` }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: `Move ${names[2]} up` }).click();
    expect(await picks.first().textContent()).toBe(names[2]);
    await shot("new-manual-list");
    await page.getByRole("button", { name: "Create list" }).click();
    await visible(page.getByRole("heading", { name: "My picks" }));
    await visible(page.getByText("synced", { exact: true }), 60_000);
    const items = page.locator("ol.items li");
    await visible(items.first().filter({ hasText: names[2]!.replace(/ \(\d+\)$/, "") }));

    // Pending changes: nothing after the sync; after a change on Trakt, it shows the difference.
    await page.getByRole("button", { name: "Pending changes" }).click();
    await visible(page.getByText("Nothing: Trakt already matches this list."));
    const twin = stack.sandbox!.listsOf("alice-trakt").find((l) => l.name === "My picks")!;
    await removeOnTrakt(twin.ids.trakt, twin.items[0]!);
    await page.getByRole("button", { name: "Pending changes" }).click();
    await visible(page.getByText(/^Add 1/));
    await shot("list-detail");

    await page.getByRole("button", { name: "Sync now" }).click();
    await until(
      () => stack.sandbox!.listsOf("alice-trakt").find((l) => l.name === "My picks")?.items.length === 3,
      30_000,
      "the sync to restore the item on Trakt",
    );

    // Edit: a rename reaches Trakt.
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Title").fill("My best picks");
    await page.getByLabel("Privacy").selectOption("public");
    await page.getByRole("button", { name: "Save changes" }).click();
    await visible(page.getByRole("heading", { name: "My best picks" }));
    await until(
      () => stack.sandbox!.listsOf("alice-trakt").some((l) => l.name === "My best picks"),
      30_000,
      "the rename to reach Trakt",
    );

    // Delete, with a confirmation.
    await page.getByRole("button", { name: "Delete list" }).click();
    await visible(page.getByRole("alertdialog"));
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await visible(page.getByRole("heading", { name: "Your lists" }));
    await eventually(
      async () =>
        (await page.getByRole("link", { name: "My best picks", exact: true }).count()) === 0 || undefined,
      15_000,
      "the deleted list to leave the table",
    );
    await until(
      () => !stack.sandbox!.listsOf("alice-trakt").some((l) => l.name === "My best picks"),
      30_000,
      "the Trakt list to be deleted",
    );
  });

  it("unlinks Trakt and says what to do about auth_required", async () => {
    await page.getByRole("button", { name: "Unlink Trakt" }).click();
    await visible(page.getByRole("button", { name: "Link Trakt" }));
    await visible(row("Best sci-fi").getByText("auth_required"));
    await visible(page.getByText("Your Trakt link expired or was removed"));
    await page.getByRole("link", { name: "Best sci-fi" }).click();
    await visible(
      page.locator(".notice").filter({ hasText: "What to do:" }).filter({ hasText: "Link Trakt" }),
    );
  });

  it("works at phone width and from the keyboard", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole("link", { name: "← All lists" }).click();
    await visible(page.getByRole("button", { name: "New list" }));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Tab reaches New list with a visible focus ring.
    let focused = "";
    for (let i = 0; i < 15 && focused !== "New list"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    }
    expect(focused).toBe("New list");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    await shot("phone");
  });
});

/** Takes one item off the Trakt list, as a person could on trakt.tv (through the sandbox's own API). */
async function removeOnTrakt(traktListId: number, item: { type: string; movie?: unknown; show?: unknown }) {
  const media = (item.movie ?? item.show) as { ids: { tmdb: number } };
  const grant = stack.sandbox!.createUser("alice-trakt");
  // Trakt allows one write per second per user: wait out a 429 from our own sync's writes.
  for (let attempt = 0; attempt < 10; attempt++) {
    const response = await removeRequest(traktListId, item.type, media.ids.tmdb, grant.access_token);
    if (response.status !== 429) return expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
  }
  throw new Error("Trakt kept answering 429");
}

function removeRequest(traktListId: number, type: string, tmdb: number, token: string) {
  return fetch(`${stack.traktApiUrl}/users/me/lists/${traktListId}/items/remove`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "trakt-api-version": "2",
      "trakt-api-key": stack.sandbox!.clientId,
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ [`${type}s`]: [{ ids: { tmdb } }] }),
  });
}
