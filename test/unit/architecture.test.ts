import { describe, expect, it } from "vitest";
import { folderCycles, folderGraph, functionLengths } from "#test/support/codebase.ts";

/** The folders each layer may import (besides itself); anything else is a dependency pointing the wrong way. */
const allowed: Record<string, readonly string[]> = {
  "shared/domain": [],
  "shared/observability": ["shared/config", "shared/domain"],
  "shared/config": ["shared/domain"],
};

describe("the house", () => {
  const graph = folderGraph();

  it("has no import cycle between folders", () => {
    expect(folderCycles(graph)).toEqual([]);
  });

  it("keeps the domain plain and the sync free of concrete adapters and of the Trakt client", () => {
    const wrongWay: string[] = [];
    for (const [folder, targets] of graph) {
      for (const target of targets) {
        const rule = allowed[folder];
        if (rule && !rule.includes(target)) wrongWay.push(`${folder} → ${target}`);
        const inner = ["shared/domain", "shared/sync", "shared/catalog", "shared/lists", "shared/account"];
        const outer = [
          "shared/adapters",
          "shared/trakt",
          "shared/runtime",
          "shared/crypto",
          "lambdas",
          "infra",
        ];
        if (inner.includes(folder) && outer.some((o) => target.startsWith(o)))
          wrongWay.push(`${folder} → ${target}`);
      }
    }
    expect(wrongWay).toEqual([]);
  });

  it("has no function longer than 60 lines outside the tests", () => {
    const long = functionLengths()
      .filter((f) => f.lines > 60)
      .map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(long).toEqual([]);
  });
});
