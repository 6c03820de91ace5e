import type { CatalogTitle } from "#domain/catalog.ts";
import type { ListItem } from "#domain/item.ts";
import type { ListRecord } from "#domain/list.ts";
import { newListRecord } from "#lists/newList.ts";

/** `count` movie items with TMDB ids from `firstTmdbId`, ranked 1..count. */
export function movieItems(count: number, firstTmdbId = 1_000): ListItem[] {
  return Array.from({ length: count }, (_, i) => ({
    mediaType: "movie" as const,
    tmdbId: firstTmdbId + i,
    rank: i + 1,
    title: `Movie ${firstTmdbId + i}`,
    year: 2000,
  }));
}

export function manualList(userId: string, overrides: Partial<ListRecord> = {}): ListRecord {
  return { ...newListRecord(userId, { title: "Picks", listType: "manual" }, new Date()), ...overrides };
}

export function catalogTitle(overrides: Partial<CatalogTitle> & Pick<CatalogTitle, "tmdbId">): CatalogTitle {
  return {
    mediaType: "movie",
    title: `Title ${overrides.tmdbId}`,
    year: 2010,
    genres: ["drama"],
    language: "en",
    rating: 7,
    votes: 5_000,
    ...overrides,
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
