import { describe, expect, it } from "vitest";
import {
  addPick,
  createRequest,
  emptyForm,
  formFieldOf,
  formFromList,
  type ListView,
  movePick,
  needsAutoRefresh,
  patchRequest,
  previewRequest,
  stateDisplay,
  traktListLink,
  whatToDo,
} from "#web/src/logic.ts";

const list: ListView = {
  id: "l1",
  title: "Sci-fi",
  listType: "custom",
  privacy: "private",
  itemLimit: 50,
  filters: { mediaTypes: ["movie"], genres: ["drama"], genreMatch: "all", languages: ["en"], minVotes: 100 },
  trakt: { listId: 10001, slug: "sci-fi" },
  sync: {
    state: "synced",
    localItemCount: 50,
    traktItemCount: 50,
    notFoundCount: 0,
    lastError: null,
    lastSyncedAt: null,
  },
};

describe("form to request", () => {
  it("maps a custom list's filters, leaving unset fields out and parsing numbers and languages", () => {
    const form = {
      ...emptyForm(),
      title: "  Best  ",
      genres: ["drama", "crime"],
      genreMatch: "all" as const,
      languages: "EN, fr  de",
      yearFrom: "1990",
      minRating: "7.5",
      itemLimit: "25",
    };
    expect(createRequest(form)).toEqual({
      title: "Best",
      listType: "custom",
      privacy: "private",
      itemLimit: 25,
      filters: {
        mediaTypes: ["movie", "show"],
        genreMatch: "all",
        genres: ["drama", "crime"],
        languages: ["en", "fr", "de"],
        yearFrom: 1990,
        minRating: 7.5,
      },
    });
  });

  it("sends text that is not a number as it is, so the API names the field", () => {
    expect(createRequest({ ...emptyForm(), title: "x", yearTo: "soon" }).filters).toMatchObject({
      yearTo: "soon",
    });
  });

  it("maps a manual list's picks in order, without filters", () => {
    const picks = [
      { mediaType: "movie" as const, tmdbId: 2, title: "B" },
      { mediaType: "show" as const, tmdbId: 1, title: "A" },
    ];
    const body = createRequest({ ...emptyForm(), title: "Mine", listType: "manual" }, picks);
    expect(body).toEqual({
      title: "Mine",
      listType: "manual",
      privacy: "private",
      items: [
        { mediaType: "movie", tmdbId: 2 },
        { mediaType: "show", tmdbId: 1 },
      ],
    });
  });

  it("previews an untitled form as a custom list", () => {
    expect(previewRequest({ ...emptyForm(), listType: "manual" })).toMatchObject({
      title: "Preview",
      listType: "custom",
    });
  });

  it("patches only what the edit changed", () => {
    const form = formFromList(list);
    expect(patchRequest(form, list)).toEqual({});
    expect(patchRequest({ ...form, title: "Renamed", privacy: "public" }, list)).toEqual({
      title: "Renamed",
      privacy: "public",
    });
    expect(patchRequest({ ...form, minVotes: "1000" }, list)).toEqual({
      filters: {
        mediaTypes: ["movie"],
        genreMatch: "all",
        genres: ["drama"],
        languages: ["en"],
        minVotes: 1000,
      },
    });
  });

  it("finds the form field an API error names", () => {
    expect(formFieldOf("filters.yearTo")).toBe("yearTo");
    expect(formFieldOf("filters.languages.0")).toBe("languages");
    expect(formFieldOf("items.3.tmdbId")).toBe("items");
    expect(formFieldOf("title")).toBe("title");
    expect(formFieldOf(undefined)).toBeUndefined();
  });
});

describe("picks", () => {
  const a = { mediaType: "movie" as const, tmdbId: 1, title: "A" };
  const b = { mediaType: "movie" as const, tmdbId: 2, title: "B" };
  const c = { mediaType: "show" as const, tmdbId: 1, title: "C" };

  it("adds each title once", () => {
    expect(addPick(addPick([a], b), { ...a })).toEqual([a, b]);
    expect(addPick([a], c)).toEqual([a, c]);
  });

  it("moves a pick up or down, and ignores moves past the ends", () => {
    expect(movePick([a, b, c], 2, -1)).toEqual([a, c, b]);
    expect(movePick([a, b, c], 0, 1)).toEqual([b, a, c]);
    expect(movePick([a, b, c], 0, -1)).toEqual([a, b, c]);
    expect(movePick([a, b, c], 2, 1)).toEqual([a, b, c]);
  });
});

describe("state display", () => {
  it("gives every state a word and a colour", () => {
    expect(stateDisplay("synced")).toMatchObject({ word: "synced", tone: "ok" });
    expect(stateDisplay("pending").tone).toBe("busy");
    expect(stateDisplay("syncing").tone).toBe("busy");
    expect(stateDisplay("limited").tone).toBe("warn");
    expect(stateDisplay("auth_required")).toMatchObject({ word: "auth_required", tone: "bad" });
    expect(stateDisplay("failed").tone).toBe("bad");
  });

  it("says what to do when the Trakt link expired", () => {
    expect(whatToDo("auth_required")).toContain("Link Trakt");
    expect(whatToDo("synced")).toBeUndefined();
  });

  it("refreshes by itself only while a list is pending or syncing", () => {
    const at = (state: ListView["sync"]["state"]) => ({ sync: { ...list.sync, state } });
    expect(needsAutoRefresh([at("synced"), at("failed")])).toBe(false);
    expect(needsAutoRefresh([at("synced"), at("pending")])).toBe(true);
    expect(needsAutoRefresh([at("syncing")])).toBe(true);
  });

  it("links to the Trakt list once it exists", () => {
    const template = "https://trakt.tv/users/{user}/lists/{list}";
    expect(traktListLink(template, "me", list)).toBe("https://trakt.tv/users/me/lists/sci-fi");
    expect(traktListLink(template, null, list)).toBeUndefined();
    expect(traktListLink(template, "me", { ...list, trakt: { listId: null, slug: null } })).toBeUndefined();
  });
});
