import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { creationLeaseInOldImage } from "#runtime/streamImages.ts";

const removal = (oldImage: NonNullable<DynamoDBRecord["dynamodb"]>["OldImage"]): DynamoDBRecord => ({
  eventName: "REMOVE",
  dynamodb: { OldImage: oldImage },
});

describe("the creation lease in a REMOVE record", () => {
  it("is read from the old image, and absent when the deleted list held none", () => {
    // Prepare
    const list = { entity: { S: "LIST" }, userId: { S: "u1" }, listId: { S: "l1" } };

    // Act
    const leased = creationLeaseInOldImage(removal({ ...list, createLeaseUntil: { N: "1790000060000" } }));
    const unleased = creationLeaseInOldImage(removal(list));

    // Assess
    expect(leased).toBe(1_790_000_060_000);
    expect(unleased).toBeUndefined();
  });
});
