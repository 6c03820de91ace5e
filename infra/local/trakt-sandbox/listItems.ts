import { accountLimitError } from "./accountLimit.ts";
import type { Title, TitleType } from "./catalogIds.ts";
import { resolveTitle } from "./catalogIds.ts";
import { asObject, httpError } from "./http.ts";
import { listSummaryJson } from "./lists.ts";
import type { ListItem, PersonalList, SandboxUser } from "./model.ts";
import { iso } from "./model.ts";
import type { Runtime } from "./state.ts";
import type { ListItemJson, TitleJson } from "./types.ts";

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 250;

const SECTION_TYPES = { movies: "movie", shows: "show" } as const satisfies Record<string, TitleType>;
type Section = keyof typeof SECTION_TYPES;
const SECTIONS = Object.keys(SECTION_TYPES) as Section[];
/** Sections Trakt accepts that the sandbox has no titles for: whatever is sent there is not found. */
const UNSUPPORTED_SECTIONS = ["seasons", "episodes", "people"] as const;

type Counts = Record<Section | (typeof UNSUPPORTED_SECTIONS)[number], number>;
type NotFound = Record<Section | (typeof UNSUPPORTED_SECTIONS)[number], unknown[]>;

export function itemJson(item: ListItem, rank: number): ListItemJson {
  const { title } = item;
  return {
    rank,
    id: item.id,
    listed_at: iso(item.listedAt),
    notes: null,
    type: title.type,
    [title.type]: titleJson(title),
  };
}

function titleJson(title: Title): TitleJson {
  const ids = { trakt: title.trakt, slug: title.slug, imdb: title.imdb, tmdb: title.tmdb };
  return {
    title: title.title,
    year: title.year,
    ids: title.tvdb === undefined ? ids : { ...ids, tvdb: title.tvdb },
  };
}

export function allItemsJson(list: PersonalList): ListItemJson[] {
  return list.items.map((item, index) => itemJson(item, index + 1));
}

export interface ItemsPage {
  items: ListItemJson[];
  page: number;
  limit: number;
  pageCount: number;
  itemCount: number;
}

/** One page of a list's items in rank order, optionally only some types (`movies`, `show`, `movie,show`…). */
export function pageItems(
  list: PersonalList,
  typeFilter: string | undefined,
  query: URLSearchParams,
): ItemsPage {
  const types = parseTypeFilter(typeFilter);
  const ranked = list.items
    .map((item, index) => ({ item, rank: index + 1 }))
    .filter(({ item }) => !types || types.has(item.title.type));
  const page = positiveInt(query.get("page"), 1);
  const limit = Math.min(positiveInt(query.get("limit"), DEFAULT_PAGE_LIMIT), MAX_PAGE_LIMIT);
  const start = (page - 1) * limit;
  return {
    items: ranked.slice(start, start + limit).map(({ item, rank }) => itemJson(item, rank)),
    page,
    limit,
    pageCount: Math.max(1, Math.ceil(ranked.length / limit)),
    itemCount: ranked.length,
  };
}

export function paginationHeaders(page: ItemsPage, list: PersonalList): Record<string, string> {
  return {
    "X-Pagination-Page": String(page.page),
    "X-Pagination-Limit": String(page.limit),
    "X-Pagination-Page-Count": String(page.pageCount),
    "X-Pagination-Item-Count": String(page.itemCount),
    "X-Sort-By": list.sortBy,
    "X-Sort-How": list.sortHow,
  };
}

/** Adds titles at the end of the list. All or nothing: 420 when the new items would exceed the item limit. */
export function addItems(runtime: Runtime, owner: SandboxUser, list: PersonalList, body: unknown) {
  const request = parseTitleRequest(runtime, body);
  const present = new Set(list.items.map((item) => titleKey(item.title)));
  const fresh: Title[] = [];
  const added = zeroCounts();
  const existing = zeroCounts();
  for (const { section, title } of request.resolved) {
    const key = titleKey(title);
    if (present.has(key)) {
      existing[section] += 1;
      continue;
    }
    present.add(key);
    fresh.push(title);
    added[section] += 1;
  }
  if (list.items.length + fresh.length > owner.limits.itemCount) {
    throw accountLimitError(runtime, owner, owner.limits.itemCount, "List item");
  }
  const now = runtime.now();
  for (const title of fresh) list.items.push({ id: runtime.state.nextItemId(), listedAt: now, title });
  if (fresh.length > 0) list.updatedAt = now;
  return { added, existing, not_found: request.notFound, list: listSummaryJson(list) };
}

/** Removes titles; ranks close up to 1..n. Titles that exist but are not on the list are ignored. */
export function removeItems(runtime: Runtime, list: PersonalList, body: unknown) {
  const request = parseTitleRequest(runtime, body);
  const deleted = zeroCounts();
  for (const { section, title } of request.resolved) {
    const index = list.items.findIndex((item) => titleKey(item.title) === titleKey(title));
    if (index < 0) continue;
    list.items.splice(index, 1);
    deleted[section] += 1;
  }
  if (Object.values(deleted).some((count) => count > 0)) list.updatedAt = runtime.now();
  return { deleted, not_found: request.notFound, list: listSummaryJson(list) };
}

/** The given list-item ids take ranks 1..k in that order; the others follow in their previous order. */
export function reorderItems(runtime: Runtime, list: PersonalList, body: unknown) {
  const rank = asObject(body)?.rank;
  if (!Array.isArray(rank))
    throw httpError(422, "validation_failed", "rank must be an array of list item ids");
  const byId = new Map(list.items.map((item) => [item.id, item]));
  const moved: ListItem[] = [];
  const movedIds = new Set<number>();
  const skipped: unknown[] = [];
  for (const id of rank) {
    const item = typeof id === "number" ? byId.get(id) : undefined;
    if (!item) skipped.push(id);
    else if (!movedIds.has(item.id)) {
      movedIds.add(item.id);
      moved.push(item);
    }
  }
  list.items = [...moved, ...list.items.filter((item) => !movedIds.has(item.id))];
  if (moved.length > 0) list.updatedAt = runtime.now();
  return { updated: moved.length, skipped_ids: skipped, list: listSummaryJson(list) };
}

interface TitleRequest {
  resolved: { section: Section; title: Title }[];
  notFound: NotFound;
}

function parseTitleRequest(runtime: Runtime, body: unknown): TitleRequest {
  const object = asObject(body ?? {});
  if (!object) throw httpError(400, "bad_request", "The body must be a JSON object.");
  const request: TitleRequest = { resolved: [], notFound: emptyNotFound() };
  for (const section of SECTIONS) {
    for (const entry of entriesOf(object, section)) {
      const title = resolveEntry(runtime, SECTION_TYPES[section], entry);
      if (title) request.resolved.push({ section, title });
      else request.notFound[section].push(entry);
    }
  }
  for (const section of UNSUPPORTED_SECTIONS) request.notFound[section].push(...entriesOf(object, section));
  return request;
}

function entriesOf(body: Record<string, unknown>, section: string): unknown[] {
  const entries = body[section];
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) throw httpError(400, "bad_request", `${section} must be an array`);
  return entries;
}

function resolveEntry(runtime: Runtime, type: TitleType, entry: unknown): Title | undefined {
  const ids = asObject(asObject(entry)?.ids);
  return ids ? resolveTitle(type, ids, runtime.state.isUnknown) : undefined;
}

function titleKey(title: Title): string {
  return `${title.type}:${title.tmdb}`;
}

function zeroCounts(): Counts {
  return { movies: 0, shows: 0, seasons: 0, episodes: 0, people: 0 };
}

function emptyNotFound(): NotFound {
  return { movies: [], shows: [], seasons: [], episodes: [], people: [] };
}

const TYPE_FILTERS: Record<string, TitleType | undefined> = {
  movie: "movie",
  movies: "movie",
  show: "show",
  shows: "show",
  season: undefined,
  seasons: undefined,
  episode: undefined,
  episodes: undefined,
  person: undefined,
  people: undefined,
};

/** The item-type path segments the items route accepts (comma-separated). */
export const ITEM_TYPE_SEGMENT = new RegExp(
  `^(${Object.keys(TYPE_FILTERS).join("|")})(,(${Object.keys(TYPE_FILTERS).join("|")}))*$`,
);

function parseTypeFilter(filter: string | undefined): Set<TitleType> | undefined {
  if (filter === undefined) return undefined;
  const types = filter.split(",").map((part) => TYPE_FILTERS[part]);
  return new Set(types.filter((type): type is TitleType => type !== undefined));
}

function positiveInt(value: string | null, fallback: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  const parsed = Number(value);
  return parsed >= 1 ? parsed : fallback;
}
