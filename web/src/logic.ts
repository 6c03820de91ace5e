import type { CustomListFilters } from "#domain/filters.ts";
import { genreSlugs } from "#domain/genres.ts";
import type { ListType, Privacy, SyncState } from "#domain/list.ts";
import type { MediaType } from "#domain/media.ts";

/**
 * The page's own logic, free of the DOM: form ↔ request mapping, state display, field errors,
 * refresh decisions. Unit-tested in test/unit/web/logic.test.ts.
 */

export type { CustomListFilters, ListType, MediaType, Privacy, SyncState };

export interface ListView {
  id: string;
  title: string;
  listType: ListType;
  privacy: Privacy;
  itemLimit: number;
  filters?: CustomListFilters;
  trakt: { listId: number | null; slug: string | null };
  sync: {
    state: SyncState;
    localItemCount: number;
    traktItemCount: number | null;
    notFoundCount: number;
    lastError: { code: string; message: string; at: string } | null;
    lastSyncedAt: string | null;
  };
}

/** The values of the new-list and edit forms, as the inputs hold them (strings for numbers). */
export interface ListForm {
  title: string;
  listType: ListType;
  privacy: Privacy;
  mediaTypes: MediaType[];
  genres: string[];
  genreMatch: "any" | "all";
  languages: string;
  yearFrom: string;
  yearTo: string;
  minRating: string;
  minVotes: string;
  itemLimit: string;
}

export interface TitlePick {
  mediaType: MediaType;
  tmdbId?: number;
  imdbId?: string;
  title: string;
  year?: number;
}

/** The genres filters accept: the catalog's own slugs, the one list the API validates against. */
export const genres = genreSlugs;

export const privacies: Privacy[] = ["private", "link", "friends", "public"];

export function emptyForm(): ListForm {
  return {
    title: "",
    listType: "custom",
    privacy: "private",
    mediaTypes: ["movie", "show"],
    genres: [],
    genreMatch: "any",
    languages: "",
    yearFrom: "",
    yearTo: "",
    minRating: "",
    minVotes: "",
    itemLimit: "",
  };
}

/** The form of an existing list, for Edit. */
export function formFromList(list: ListView): ListForm {
  const f = list.filters;
  const text = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    ...emptyForm(),
    title: list.title,
    listType: list.listType,
    privacy: list.privacy,
    itemLimit: String(list.itemLimit),
    ...(f
      ? {
          mediaTypes: [...f.mediaTypes],
          genres: [...f.genres],
          genreMatch: f.genreMatch,
          languages: f.languages.join(", "),
          yearFrom: text(f.yearFrom),
          yearTo: text(f.yearTo),
          minRating: text(f.minRating),
          minVotes: text(f.minVotes),
        }
      : {}),
  };
}

/**
 * A number input's text as the API expects it: empty is "not set"; anything else is sent as a
 * number when it is one and as the raw text when not, so the API names the field in its 400.
 */
function numberField(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

function languagesField(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((code) => code.trim().toLowerCase())
    .filter(Boolean);
}

/** The `filters` object of a custom list's form; unset fields are left out. */
export function filtersFromForm(form: ListForm): Record<string, unknown> {
  const filters: Record<string, unknown> = { mediaTypes: form.mediaTypes, genreMatch: form.genreMatch };
  if (form.genres.length > 0) filters.genres = form.genres;
  const languages = languagesField(form.languages);
  if (languages.length > 0) filters.languages = languages;
  for (const name of ["yearFrom", "yearTo", "minRating", "minVotes"] as const) {
    const value = numberField(form[name]);
    if (value !== undefined) filters[name] = value;
  }
  return filters;
}

/** The body of `POST /lists` (and `POST /lists/preview`) for the form, with the picks of a manual list. */
export function createRequest(form: ListForm, picks: readonly TitlePick[] = []): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: form.title.trim(),
    listType: form.listType,
    privacy: form.privacy,
  };
  const itemLimit = numberField(form.itemLimit);
  if (itemLimit !== undefined) body.itemLimit = itemLimit;
  if (form.listType === "custom") body.filters = filtersFromForm(form);
  else body.items = picks.map(pickToItem);
  return body;
}

/** The preview needs a title to validate; an untitled form previews under a placeholder. */
export function previewRequest(form: ListForm): Record<string, unknown> {
  return { ...createRequest(form), title: form.title.trim() || "Preview", listType: "custom" };
}

function pickToItem(pick: TitlePick): Record<string, unknown> {
  return {
    mediaType: pick.mediaType,
    ...(pick.tmdbId !== undefined ? { tmdbId: pick.tmdbId } : {}),
    ...(pick.imdbId !== undefined ? { imdbId: pick.imdbId } : {}),
  };
}

/** The body of `PATCH /lists/{id}`: only what changed. */
export function patchRequest(form: ListForm, list: ListView): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (form.title.trim() !== list.title) body.title = form.title.trim();
  if (form.privacy !== list.privacy) body.privacy = form.privacy;
  const itemLimit = numberField(form.itemLimit);
  if (itemLimit !== undefined && itemLimit !== list.itemLimit) body.itemLimit = itemLimit;
  if (list.listType === "custom") {
    const filters = filtersFromForm(form);
    if (JSON.stringify(filters) !== JSON.stringify(filtersFromForm(formFromList(list))))
      body.filters = filters;
  }
  return body;
}

/** The form field an API error names (`filters.yearTo` → `yearTo`, `items.3.tmdbId` → `items`). */
export function formFieldOf(apiField: string | undefined): string | undefined {
  if (!apiField) return undefined;
  const parts = apiField.split(".");
  if (parts[0] === "filters" && parts[1]) return parts[1];
  return parts[0];
}

export const sameTitle = (a: TitlePick, b: TitlePick) =>
  a.mediaType === b.mediaType &&
  (a.tmdbId !== undefined ? a.tmdbId === b.tmdbId : a.imdbId !== undefined && a.imdbId === b.imdbId);

/** Adds a pick at the end unless it is already there. */
export function addPick(picks: readonly TitlePick[], pick: TitlePick): TitlePick[] {
  return picks.some((p) => sameTitle(p, pick)) ? [...picks] : [...picks, pick];
}

/** Moves the pick at `index` up (-1) or down (+1); out-of-range moves change nothing. */
export function movePick(picks: readonly TitlePick[], index: number, delta: -1 | 1): TitlePick[] {
  const target = index + delta;
  const moved = [...picks];
  if (index < 0 || index >= picks.length || target < 0 || target >= picks.length) return moved;
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}

export type Tone = "ok" | "busy" | "warn" | "bad";

/** Each state's colour and a sentence for people; any other state is shown as "failed". */
const stateTones: Partial<Record<SyncState, { tone: Tone; hint: string }>> = {
  synced: { tone: "ok", hint: "Trakt holds this list as it is here." },
  pending: { tone: "busy", hint: "Waiting to reach Trakt." },
  syncing: { tone: "busy", hint: "Sending changes to Trakt now." },
  limited: { tone: "warn", hint: "Trakt's account limits keep part of this list off Trakt." },
  auth_required: { tone: "bad", hint: "Trakt is not linked or the link expired." },
  account_locked: { tone: "bad", hint: "Trakt has locked this account." },
  vip_required: { tone: "bad", hint: "Trakt needs a VIP account for this." },
};

/** A state as the page shows it: the word, its colour, and a sentence for people. */
export function stateDisplay(state: SyncState): { word: string; tone: Tone; hint: string } {
  const shown = Object.hasOwn(stateTones, state) ? stateTones[state] : undefined;
  if (shown) return { word: state, ...shown };
  return { word: "failed", tone: "bad", hint: "The last attempt failed; it is retried by itself." };
}

/** What a person can do about a list's state. */
export function whatToDo(state: SyncState): string | undefined {
  switch (state) {
    case "auth_required":
      return "Press Link Trakt at the top and approve the code on Trakt. The list syncs by itself afterwards.";
    case "failed":
      return "Nothing, usually: the list is retried automatically. Press Sync now to try at once.";
    case "limited":
      return "Upgrade on Trakt, or lower the list's Item limit with Edit.";
    case "account_locked":
      return "Unlock your account on trakt.tv; the list is checked again daily.";
    case "vip_required":
      return "This needs Trakt VIP; the list is checked again daily.";
    default:
      return undefined;
  }
}

/** While any list is on its way to Trakt, the page refreshes by itself. */
export function needsAutoRefresh(lists: readonly Pick<ListView, "sync">[]): boolean {
  return lists.some((list) => list.sync.state === "pending" || list.sync.state === "syncing");
}

/** "3 min ago", "just now", or "never". */
export function ago(iso: string | null, now: number = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 10) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** "120 / 118": items here against items on Trakt ("—" before the first sync). */
export function itemCounts(list: Pick<ListView, "sync">): string {
  const trakt = list.sync.traktItemCount;
  return `${list.sync.localItemCount} / ${trakt === null ? "—" : trakt}`;
}

/** The Trakt list's address from the configured template, or undefined before it exists. */
export function traktListLink(template: string, userSlug: string | null, list: ListView): string | undefined {
  if (!userSlug || list.trakt.listId === null) return undefined;
  return template
    .replace("{user}", encodeURIComponent(userSlug))
    .replace("{list}", encodeURIComponent(list.trakt.slug ?? String(list.trakt.listId)));
}
