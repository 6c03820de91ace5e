import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backfillMaxLists, environmentFor, envNames } from "#config/env.ts";

const root = new URL("../../../", import.meta.url).pathname;

/** Lines of the service's code (what Lambda runs) that read a variable by its literal name. */
function literalEnvReads(): string[] {
  const reads: string[] = [];
  for (const dir of ["lambdas", "shared"]) {
    for (const file of readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      const lines = readFileSync(join(root, dir, file), "utf8").split("\n");
      lines.forEach((line, i) => {
        const literal = /(numberEnv|requireEnv)\(\s*["'`]|process\.env\.(?!AWS_|POWERTOOLS_)[A-Z_]+/.test(
          line,
        );
        if (literal) reads.push(`${dir}/${file}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  return reads;
}

describe("envNames", () => {
  it("names every variable the service reads (only AWS's and Powertools' own are read by name)", () => {
    // Assess
    expect(literalEnvReads()).toEqual([]);
  });

  it("builds an environment from named values, leaving unset ones out", () => {
    // Act
    const environment = environmentFor({
      tableName: "lists",
      backfillMaxLists: "250",
      traktClientId: undefined,
    });

    // Assess
    expect(environment).toEqual({ [envNames.tableName]: "lists", BACKFILL_MAX_LISTS: "250" });
  });

  it("reads BACKFILL_MAX_LISTS, 1000 when unset", () => {
    // Prepare
    const before = process.env.BACKFILL_MAX_LISTS;
    try {
      // Act / Assess
      delete process.env.BACKFILL_MAX_LISTS;
      expect(backfillMaxLists()).toBe(1_000);
      process.env.BACKFILL_MAX_LISTS = "250";
      expect(backfillMaxLists()).toBe(250);
    } finally {
      if (before === undefined) delete process.env.BACKFILL_MAX_LISTS;
      else process.env.BACKFILL_MAX_LISTS = before;
    }
  });
});
