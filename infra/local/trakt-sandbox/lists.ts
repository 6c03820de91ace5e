import { privacies } from "#domain/list.ts";
import { accountLimitError } from "./accountLimit.ts";
import { httpError } from "./http.ts";
import type { ListSettings, PersonalList, SandboxUser } from "./model.ts";
import { iso, SORT_BY_VALUES, SORT_HOW_VALUES } from "./model.ts";
import type { Runtime } from "./state.ts";
import type { ListJson } from "./types.ts";
import { userJson } from "./users.ts";

const DEFAULT_SETTINGS: Omit<ListSettings, "name"> = {
  description: null,
  privacy: "private",
  displayNumbers: false,
  allowComments: true,
  sortBy: "rank",
  sortHow: "asc",
};

export function createList(
  runtime: Runtime,
  owner: SandboxUser,
  body: Record<string, unknown>,
): PersonalList {
  const settings = parseListSettings(body, true);
  if (owner.lists.length >= owner.limits.listCount) {
    throw accountLimitError(runtime, owner, owner.limits.listCount, "List count");
  }
  const now = runtime.now();
  const list: PersonalList = {
    ...DEFAULT_SETTINGS,
    ...settings,
    name: settings.name ?? "",
    traktId: runtime.state.nextListId(),
    slug: uniqueSlug(owner, settings.name ?? ""),
    createdAt: now,
    updatedAt: now,
    items: [],
  };
  owner.lists.push(list);
  return list;
}

/** Applies the given settings; a rename keeps the slug, like Trakt. */
export function updateList(
  runtime: Runtime,
  list: PersonalList,
  body: Record<string, unknown>,
): PersonalList {
  Object.assign(list, parseListSettings(body, false));
  list.updatedAt = runtime.now();
  return list;
}

export function deleteList(owner: SandboxUser, list: PersonalList): void {
  owner.lists = owner.lists.filter((candidate) => candidate !== list);
}

/** Finds a list by numeric Trakt id or by slug. */
export function findList(owner: SandboxUser, idOrSlug: string): PersonalList | undefined {
  const numeric = /^\d+$/.test(idOrSlug) ? Number(idOrSlug) : undefined;
  return owner.lists.find((list) => list.traktId === numeric || list.slug === idOrSlug);
}

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "list" : slug;
}

/** `name` → `name`, `name-2`, `name-3`… among the owner's lists. */
export function uniqueSlug(owner: SandboxUser, name: string): string {
  const base = slugify(name);
  const taken = new Set(owner.lists.map((list) => list.slug));
  if (!taken.has(base)) return base;
  let suffix = 2;
  while (taken.has(`${base}-${suffix}`)) suffix += 1;
  return `${base}-${suffix}`;
}

export function listJson(list: PersonalList, owner: SandboxUser, runtime: Runtime): ListJson {
  return {
    name: list.name,
    description: list.description,
    privacy: list.privacy,
    share_link: `${runtime.baseUrl}/lists/${list.traktId}`,
    type: "personal",
    display_numbers: list.displayNumbers,
    allow_comments: list.allowComments,
    sort_by: list.sortBy,
    sort_how: list.sortHow,
    created_at: iso(list.createdAt),
    updated_at: iso(list.updatedAt),
    item_count: list.items.length,
    comment_count: 0,
    likes: 0,
    ids: { trakt: list.traktId, slug: list.slug },
    user: userJson(owner),
  };
}

export function listSummaryJson(list: PersonalList) {
  return { updated_at: iso(list.updatedAt), item_count: list.items.length };
}

/** Validates the writable list fields; 422 naming the field on a bad value (and on a missing name when creating). */
function parseListSettings(body: Record<string, unknown>, creating: boolean): Partial<ListSettings> {
  const settings: Partial<ListSettings> = {};
  if (body.name !== undefined || creating) {
    if (typeof body.name !== "string" || body.name.trim() === "") throw invalid("name", "can't be blank");
    settings.name = body.name;
  }
  if (body.description !== undefined) {
    if (body.description !== null && typeof body.description !== "string")
      throw invalid("description", "is invalid");
    settings.description = body.description;
  }
  if (body.privacy !== undefined) settings.privacy = oneOf(body.privacy, privacies, "privacy");
  if (body.display_numbers !== undefined)
    settings.displayNumbers = bool(body.display_numbers, "display_numbers");
  if (body.allow_comments !== undefined) settings.allowComments = bool(body.allow_comments, "allow_comments");
  if (body.sort_by !== undefined) settings.sortBy = oneOf(body.sort_by, SORT_BY_VALUES, "sort_by");
  if (body.sort_how !== undefined) settings.sortHow = oneOf(body.sort_how, SORT_HOW_VALUES, "sort_how");
  return settings;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== "string" || !allowed.includes(value as T))
    throw invalid(field, "is not included in the list");
  return value as T;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw invalid(field, "must be true or false");
  return value;
}

function invalid(field: string, problem: string) {
  return httpError(422, "validation_failed", `${field} ${problem}`);
}
