import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  ApiError,
  type ApiEvent,
  errorResult,
  maxBodyBytes,
  parseBody,
  validate,
} from "#lambdas/api/http.ts";
import { addItemsSchema, createListSchema, syncQuerySchema, updateListSchema } from "#lambdas/api/schemas.ts";

function event(body: string | undefined, isBase64Encoded = false): ApiEvent {
  return {
    body,
    isBase64Encoded,
    requestContext: { authorizer: { jwt: { claims: { sub: "user-1" }, scopes: [] } } },
  } as unknown as ApiEvent;
}

/** The ApiError `act` throws; fails the test when it throws nothing or something else. */
function apiErrorOf(act: () => unknown): ApiError {
  try {
    act();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError, but nothing was thrown");
}

function rejection(schema: z.ZodType, value: unknown): ApiError {
  return apiErrorOf(() => parseBody(event(JSON.stringify(value)), schema));
}

/** A body a schema refuses, and the field the 400 names. */
type RefusedCase = [string, unknown, string];

/** One test per case: `schema` refuses the body with a 400 `invalid_request` naming the field. */
function itRefusesOnField(schema: z.ZodType, cases: readonly RefusedCase[]) {
  it.each(cases)("refuses %s with a 400 on field %s", (_case, body, field) => {
    // Act
    const error = rejection(schema, body);

    // Assess
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    expect(error.field).toBe(field);
  });
}

const custom = { title: "Top dramas", listType: "custom" } as const;
const manual = { title: "Picks", listType: "manual" } as const;
const movie = { mediaType: "movie", tmdbId: 550 } as const;

/** Bodies refused as a whole (field `body`): the body, how it arrives, and words its message must hold. */
const refusedBodies: [
  string,
  { body: string | undefined; base64?: boolean; optional?: boolean; message?: RegExp },
][] = [
  ["a missing body", { body: undefined, message: /required/ }],
  ["an empty body", { body: "", message: /required/ }],
  ["a whitespace-only body", { body: "  \n\t ", message: /required/ }],
  // An optional body still validates the empty object it stands for.
  ["the missing optional body of an update that changes nothing", { body: undefined, optional: true }],
  ["a body that is not JSON (a truncated object)", { body: '{"title": "x",', message: /not valid JSON/ }],
  ["a body that is not JSON (single quotes)", { body: "{'title': 'x'}", message: /not valid JSON/ }],
  ["a body that is not JSON (plain text)", { body: "hello", message: /not valid JSON/ }],
  ["base64 that does not decode to JSON", { body: Buffer.from("not json").toString("base64"), base64: true }],
  ["JSON that is not an object (an array)", { body: "[]" }],
  ["JSON that is not an object (null)", { body: "null" }],
  ["JSON that is not an object (a number)", { body: "42" }],
  ["JSON that is not an object (a string)", { body: '"a list"' }],
  [
    "a base64 body over 1 MiB once decoded",
    {
      body: Buffer.from(" ".repeat(maxBodyBytes + 1)).toString("base64"),
      base64: true,
      message: /larger than/,
    },
  ],
];

describe("parseBody: the request body itself", () => {
  it.each(refusedBodies)(
    "refuses %s with a 400 on field body",
    (_case, { body, base64, optional, message }) => {
      // Prepare
      const request = event(body, base64);

      // Act
      const error = apiErrorOf(() =>
        parseBody(request, optional ? updateListSchema : createListSchema, { optional }),
      );

      // Assess
      expect(error.status).toBe(400);
      expect(error.code).toBe("invalid_request");
      expect(error.field).toBe("body");
      if (message) expect(error.message).toMatch(message);
    },
  );

  it("parses and returns a valid body, with strings trimmed", () => {
    // Prepare
    const body = JSON.stringify({ ...manual, title: "  Picks  ", items: [movie] });

    // Act
    const input = parseBody(event(body), createListSchema);

    // Assess
    expect(input).toEqual({ title: "Picks", listType: "manual", items: [movie] });
  });

  it("decodes a base64-encoded body", () => {
    // Prepare
    const body = Buffer.from(JSON.stringify(custom), "utf8").toString("base64");

    // Act
    const input = parseBody(event(body, true), createListSchema);

    // Assess
    expect(input).toEqual(custom);
  });

  it("accepts a missing body when the body is optional, validating an empty object", () => {
    // Prepare
    const request = event(undefined);

    // Act
    const input = parseBody(request, syncQuerySchema, { optional: true });

    // Assess
    expect(input).toEqual({});
  });

  it("refuses a body over 1 MiB before parsing it", () => {
    // Prepare: not even valid JSON, so only the size check can name it
    const request = event("x".repeat(maxBodyBytes + 1));

    // Act
    const error = apiErrorOf(() => parseBody(request, createListSchema));

    // Assess
    expect(maxBodyBytes).toBe(1024 * 1024);
    expect(error.status).toBe(400);
    expect(error.field).toBe("body");
    expect(error.message).toMatch(/larger than 1048576 bytes/);
  });

  it("reads a body of exactly 1 MiB", () => {
    // Prepare: valid JSON of exactly maxBodyBytes bytes whose title is too long
    const shell = JSON.stringify({ ...manual, title: "" });
    const body = JSON.stringify({ ...manual, title: "t".repeat(maxBodyBytes - shell.length) });

    // Act
    const error = apiErrorOf(() => parseBody(event(body), createListSchema));

    // Assess
    expect(Buffer.byteLength(body)).toBe(maxBodyBytes);
    expect(error.field).toBe("title");
  });

  it("measures the body in bytes, not characters", () => {
    // Prepare: fewer characters than the limit, but two bytes each in UTF-8
    const body = JSON.stringify({ ...manual, title: "é".repeat(maxBodyBytes / 2) });

    // Act
    const error = apiErrorOf(() => parseBody(event(body), createListSchema));

    // Assess
    expect(body.length).toBeLessThan(maxBodyBytes);
    expect(error.field).toBe("body");
  });
});

describe("createListSchema", () => {
  it.each([
    ["a minimal custom list", custom],
    ["a minimal manual list", manual],
    ["a 100-character title", { ...manual, title: "t".repeat(100) }],
    ["itemLimit 1", { ...custom, itemLimit: 1 }],
    ["itemLimit 5000", { ...custom, itemLimit: 5_000 }],
    ["every privacy", { ...custom, privacy: "friends" }],
    ["yearFrom equal to yearTo", { ...custom, filters: { yearFrom: 2000, yearTo: 2000 } }],
    ["minRating 10 and 0 votes", { ...custom, filters: { minRating: 10, minVotes: 0 } }],
    ["as many items as itemLimit", { ...manual, itemLimit: 2, items: [movie, { ...movie, tmdbId: 551 }] }],
    [
      "complete filters",
      {
        ...custom,
        filters: {
          mediaTypes: ["movie", "show"],
          genres: ["Drama"],
          genreMatch: "all",
          languages: ["en", "fr"],
          yearFrom: 1870,
          yearTo: 2100,
          minRating: 7.5,
          minVotes: 1_000,
        },
      },
    ],
  ])("accepts %s", (_case, value) => {
    // Prepare
    const request = event(JSON.stringify(value));

    // Act
    const act = () => parseBody(request, createListSchema);

    // Assess
    expect(act).not.toThrow();
  });

  it("lower-cases genres", () => {
    // Prepare
    const value = { ...custom, filters: { genres: [" Science-Fiction "] } };

    // Act
    const input = validate(createListSchema, value);

    // Assess
    expect(input.filters?.genres).toEqual(["science-fiction"]);
  });

  const refused: RefusedCase[] = [
    // unknown fields
    ["an unknown top-level field", { ...custom, colour: "red" }, "colour"],
    ["an unknown field inside filters", { ...custom, filters: { genre: ["drama"] } }, "filters.genre"],
    [
      "an unknown field inside an item",
      { ...manual, items: [movie, { ...movie, rating: 9 }] },
      "items.1.rating",
    ],
    // title
    ["a missing title", { listType: "custom" }, "title"],
    ["a numeric title", { ...custom, title: 42 }, "title"],
    ["an empty title", { ...custom, title: "" }, "title"],
    ["a whitespace-only title", { ...custom, title: "   " }, "title"],
    ["a 101-character title", { ...custom, title: "t".repeat(101) }, "title"],
    // listType and privacy
    ["a missing listType", { title: "x" }, "listType"],
    ["an invalid listType", { ...custom, listType: "smart" }, "listType"],
    ["an invalid privacy", { ...custom, privacy: "secret" }, "privacy"],
    ["a privacy of the wrong case", { ...custom, privacy: "Public" }, "privacy"],
    // itemLimit
    ["itemLimit 0", { ...custom, itemLimit: 0 }, "itemLimit"],
    ["itemLimit 5001", { ...custom, itemLimit: 5_001 }, "itemLimit"],
    ["itemLimit 1.5", { ...custom, itemLimit: 1.5 }, "itemLimit"],
    ["itemLimit -1", { ...custom, itemLimit: -1 }, "itemLimit"],
    ["itemLimit as a string", { ...custom, itemLimit: "10" }, "itemLimit"],
    // list type rules
    ["filters on a manual list", { ...manual, filters: { genres: ["drama"] } }, "filters"],
    ["items on a custom list", { ...custom, items: [movie] }, "items"],
    [
      "more items than itemLimit",
      { ...manual, itemLimit: 1, items: [movie, { ...movie, tmdbId: 551 }] },
      "items",
    ],
    // filters
    ["filters that are not an object", { ...custom, filters: "drama" }, "filters"],
    ["yearFrom after yearTo", { ...custom, filters: { yearFrom: 2010, yearTo: 2000 } }, "filters.yearTo"],
    ["yearFrom before 1870", { ...custom, filters: { yearFrom: 1869 } }, "filters.yearFrom"],
    ["yearTo after 2100", { ...custom, filters: { yearTo: 2101 } }, "filters.yearTo"],
    ["a fractional year", { ...custom, filters: { yearFrom: 1999.5 } }, "filters.yearFrom"],
    ["a three-letter language", { ...custom, filters: { languages: ["eng"] } }, "filters.languages.0"],
    ["an upper-case language", { ...custom, filters: { languages: ["en", "FR"] } }, "filters.languages.1"],
    ["a one-letter language", { ...custom, filters: { languages: ["e"] } }, "filters.languages.0"],
    ["languages that are not an array", { ...custom, filters: { languages: "en" } }, "filters.languages"],
    ["no media types", { ...custom, filters: { mediaTypes: [] } }, "filters.mediaTypes"],
    [
      "an invalid media type in filters",
      { ...custom, filters: { mediaTypes: ["movie", "episode"] } },
      "filters.mediaTypes.1",
    ],
    ["an invalid genreMatch", { ...custom, filters: { genreMatch: "some" } }, "filters.genreMatch"],
    ["an empty genre", { ...custom, filters: { genres: ["  "] } }, "filters.genres.0"],
    ["an unknown genre", { ...custom, filters: { genres: ["scifi"] } }, "filters.genres"],
    [
      "an unknown genre after a known one",
      { ...custom, filters: { genres: ["drama", "Sci-Fi"] } },
      "filters.genres",
    ],
    ["an unknown language", { ...custom, filters: { languages: ["en", "xx"] } }, "filters.languages"],
    ["minRating 11", { ...custom, filters: { minRating: 11 } }, "filters.minRating"],
    ["a negative minRating", { ...custom, filters: { minRating: -0.5 } }, "filters.minRating"],
    ["a negative minVotes", { ...custom, filters: { minVotes: -1 } }, "filters.minVotes"],
    ["a fractional minVotes", { ...custom, filters: { minVotes: 10.5 } }, "filters.minVotes"],
    // items
    ["items that are not an array", { ...manual, items: movie }, "items"],
    ["a negative tmdbId", { ...manual, items: [{ ...movie, tmdbId: -5 }] }, "items.0.tmdbId"],
    ["a zero tmdbId", { ...manual, items: [{ ...movie, tmdbId: 0 }] }, "items.0.tmdbId"],
    ["a tmdbId given as a string", { ...manual, items: [{ ...movie, tmdbId: "550" }] }, "items.0.tmdbId"],
    ["a fractional tmdbId", { ...manual, items: [{ ...movie, tmdbId: 5.5 }] }, "items.0.tmdbId"],
    [
      "a tmdbId beyond 32 bits",
      { ...manual, items: [{ ...movie, tmdbId: 2_147_483_648 }] },
      "items.0.tmdbId",
    ],
    ["a missing tmdbId", { ...manual, items: [{ mediaType: "movie" }] }, "items.0.tmdbId"],
    [
      "an invalid mediaType",
      { ...manual, items: [movie, { ...movie, mediaType: "episode" }] },
      "items.1.mediaType",
    ],
    ["a missing mediaType", { ...manual, items: [{ tmdbId: 1 }] }, "items.0.mediaType"],
    ["a malformed imdbId", { ...manual, items: [{ ...movie, imdbId: "nm0000001" }] }, "items.0.imdbId"],
    ["an empty item title", { ...manual, items: [{ ...movie, title: " " }] }, "items.0.title"],
    ["an item year out of range", { ...manual, items: [{ ...movie, year: 3000 }] }, "items.0.year"],
  ];
  itRefusesOnField(createListSchema, refused);

  it("refuses an unknown genre in an update too, saying where the valid ones are", () => {
    // Prepare
    const body = { filters: { genres: ["scifi"] } };

    // Act
    const error = rejection(updateListSchema, body);

    // Assess
    expect([error.status, error.field]).toEqual([400, "filters.genres"]);
    expect(error.message).toContain('unknown genre "scifi"');
    expect(error.message).toContain("GET /catalog/genres");
  });

  it("names an unknown field in its message", () => {
    // Prepare
    const body = { ...custom, filters: { colour: "red" } };

    // Act
    const error = rejection(createListSchema, body);

    // Assess
    expect(error.message).toBe('Unknown field "filters.colour"');
  });

  it("prefixes other messages with the field", () => {
    // Prepare
    const body = { ...custom, filters: { yearFrom: 2010, yearTo: 2000 } };

    // Act
    const error = rejection(createListSchema, body);

    // Assess
    expect(error.message).toBe("filters.yearTo: must not be before yearFrom");
  });

  it("refuses more than 5,000 items on field items", () => {
    // Prepare
    const items = Array.from({ length: 5_001 }, (_, i) => ({ mediaType: "movie", tmdbId: i + 1 }));

    // Act
    const error = rejection(createListSchema, { ...manual, items });

    // Assess
    expect(error.status).toBe(400);
    expect(error.field).toBe("items");
  });
});

describe("updateListSchema", () => {
  it("accepts a change of one field", () => {
    // Prepare
    const body = { privacy: "link" };

    // Act
    const input = parseBody(event(JSON.stringify(body)), updateListSchema);

    // Assess
    expect(input).toEqual({ privacy: "link" });
  });

  const refused: RefusedCase[] = [
    ["an empty change", {}, "body"],
    ["a change of listType, which cannot change", { listType: "manual" }, "listType"],
    ["a whitespace-only title", { title: "  " }, "title"],
    ["itemLimit 0", { itemLimit: 0 }, "itemLimit"],
    ["yearFrom after yearTo", { filters: { yearFrom: 2001, yearTo: 2000 } }, "filters.yearTo"],
    ["items, which have their own route", { items: [movie] }, "items"],
  ];
  itRefusesOnField(updateListSchema, refused);
});

describe("addItemsSchema", () => {
  const refused: RefusedCase[] = [
    ["no items", { items: [] }, "items"],
    ["a missing items field", {}, "items"],
    ["an unknown field", { items: [movie], position: 1 }, "position"],
    ["a bad item", { items: [movie, { ...movie, tmdbId: -1 }] }, "items.1.tmdbId"],
  ];
  itRefusesOnField(addItemsSchema, refused);
});

describe("validate with syncQuerySchema", () => {
  it("accepts force_full true or false, or nothing", () => {
    // Prepare
    const values = [{ force_full: "true" }, { force_full: "false" }, {}];

    // Act
    const parsed = values.map((v) => validate(syncQuerySchema, v));

    // Assess
    expect(parsed).toEqual(values);
  });

  it.each([
    ["force_full=yes", { force_full: "yes" }, "force_full"],
    ["an unknown query parameter", { force: "true" }, "force"],
  ])("refuses %s with a 400 on field %s", (_case, value, field) => {
    // Prepare
    const query = value;

    // Act
    const error = apiErrorOf(() => validate(syncQuerySchema, query));

    // Assess
    expect(error.status).toBe(400);
    expect(error.field).toBe(field);
  });
});

describe("errorResult", () => {
  it("answers with the status, code, message and field of the error", () => {
    // Prepare
    const error = rejection(createListSchema, { ...custom, itemLimit: 0 });

    // Act
    const result = errorResult(error);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers).toEqual({ "content-type": "application/json" });
    expect(JSON.parse(String(result.body))).toEqual({
      error: { code: "invalid_request", message: error.message, field: "itemLimit" },
    });
  });
});

describe("npm run import-lists validation", () => {
  it("applies the API's cross-field rules and bounds", async () => {
    const { importedListSchema } = await import("#lambdas/api/schemas.ts");
    const base = { userId: "u", title: "t" };
    expect(importedListSchema.safeParse({ ...base, listType: "manual" }).success).toBe(true);
    expect(
      importedListSchema.safeParse({ ...base, listType: "manual", filters: { genres: ["drama"] } }).success,
    ).toBe(false);
    expect(
      importedListSchema.safeParse({
        ...base,
        listType: "custom",
        items: [{ mediaType: "movie", tmdbId: 1 }],
      }).success,
    ).toBe(false);
    expect(
      importedListSchema.safeParse({
        ...base,
        listType: "manual",
        itemLimit: 1,
        items: [
          { mediaType: "movie", tmdbId: 1 },
          { mediaType: "movie", tmdbId: 2 },
        ],
      }).success,
    ).toBe(false);
    expect(importedListSchema.safeParse({ ...base, title: " ", listType: "manual" }).success).toBe(false);
  });
});
