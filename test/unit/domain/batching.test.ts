import { describe, expect, it } from "vitest";
import { inBatches } from "#domain/batching.ts";

describe("inBatches", () => {
  it("returns no batches for no items", () => {
    // Prepare
    const items: number[] = [];

    // Act
    const batches = inBatches(items, 100);

    // Assess
    expect(batches).toEqual([]);
  });

  it("splits an exact multiple into full batches only", () => {
    // Prepare
    const items = [1, 2, 3, 4, 5, 6];

    // Act
    const batches = inBatches(items, 3);

    // Assess
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("puts the remainder in a last, shorter batch", () => {
    // Prepare
    const items = [1, 2, 3, 4, 5, 6, 7];

    // Act
    const batches = inBatches(items, 3);

    // Assess
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it("returns one batch when the size exceeds the item count", () => {
    // Prepare
    const items = ["a", "b"];

    // Act
    const batches = inBatches(items, 100);

    // Assess
    expect(batches).toEqual([["a", "b"]]);
  });

  it("makes one batch per item with a size of 1", () => {
    // Prepare
    const items = ["a", "b", "c"];

    // Act
    const batches = inBatches(items, 1);

    // Assess
    expect(batches).toEqual([["a"], ["b"], ["c"]]);
  });

  it("keeps every item exactly once and in order over many batches", () => {
    // Prepare
    const items = Array.from({ length: 1_234 }, (_, i) => i);

    // Act
    const batches = inBatches(items, 100);

    // Assess
    expect(batches).toHaveLength(13);
    expect(batches.every((b) => b.length <= 100)).toBe(true);
    expect(batches.flat()).toEqual(items);
  });

  it("does not share arrays with the input", () => {
    // Prepare
    const items = [1, 2];

    // Act
    const [batch] = inBatches(items, 5);
    batch!.push(3);

    // Assess
    expect(items).toEqual([1, 2]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "throws a RangeError for a batch size of %s",
    (size) => {
      // Prepare
      const items = [1, 2, 3];

      // Act
      const act = () => inBatches(items, size);

      // Assess
      expect(act).toThrow(RangeError);
    },
  );
});
