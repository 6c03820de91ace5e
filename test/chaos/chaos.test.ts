import { describe, expect, inject, it } from "vitest";
import { formatReport } from "./report.ts";
import { runChaos } from "./scenario.ts";
import { ciSettings } from "./settings.ts";

const total = (counts: Record<string, number | undefined>) =>
  Object.values(counts).reduce<number>((sum, n) => sum + (n ?? 0), 0);

describe("chaos", () => {
  it("converges to exactly one Trakt list per list holding exactly its items, through Trakt faults, killed workers and duplicated deliveries", {
    timeout: 200_000,
  }, async () => {
    // Prepare, Act: the CI-size scenario (see scenario.ts)
    const lines: string[] = [];
    const report = await runChaos({
      ...ciSettings,
      dynamoEndpoint: inject("dynamoEndpoint"),
      log: (line) => lines.push(line),
    });
    console.log([...lines, ...formatReport(report)].join("\n"));

    // Assess: the chaos did happen…
    expect(total(report.faults)).toBeGreaterThan(0);
    expect(total(report.chaos.kills)).toBeGreaterThan(0);
    expect(total(report.chaos.duplicateDeliveries)).toBeGreaterThan(0);
    expect(report.lists.deleted).toBeGreaterThan(0);
    expect(report.items.notFound).toBeGreaterThan(0);
    // …and every invariant held after quiet time (one Trakt list per list and none for deleted ones,
    // exact items in rank order, synced with the right counts, dead letters accounted for, pacing).
    expect(report.violations).toEqual([]);
    expect(report.dlq.malformed).toBe(1);
    expect(report.convergeSeconds).toBeDefined();
  });
});
