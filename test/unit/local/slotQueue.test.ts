import { describe, expect, it } from "vitest";
import { SlotQueue } from "#infra/local/runtime/slotQueue.ts";

describe("SlotQueue", () => {
  it("hands out each slot once, then makes callers wait in arrival order for a slot given back", async () => {
    // Prepare
    const slots = new SlotQueue(2);
    const first = await slots.take();
    const second = await slots.take();
    const order: number[] = [];

    // Act
    const third = slots.take().then((slot) => order.push(slot));
    const fourth = slots.take().then((slot) => order.push(slot));
    slots.give(second);
    slots.give(first);
    await Promise.all([third, fourth]);

    // Assess
    expect([first, second].sort()).toEqual([0, 1]);
    expect(order).toEqual([second, first]);
  });

  it("refuses a queue without slots", () => {
    expect(() => new SlotQueue(0)).toThrow(/at least one slot/);
  });
});
