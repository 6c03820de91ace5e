import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { z } from "zod";
import { toListRecord } from "#adapters/dynamo/ListRepository.ts";
import type { ListRecord } from "#domain/list.ts";

const listImageSchema = z.looseObject({
  entity: z.literal("LIST"),
  userId: z.string().min(1),
  listId: z.string().min(1),
});

/**
 * The creation lease a stream record's old image still held (epoch ms; see `claimTraktListCreation`), if any: a
 * worker may be creating the deleted list's Trakt list until then.
 */
export function creationLeaseInOldImage(record: DynamoDBRecord): number | undefined {
  const until = record.dynamodb?.OldImage?.createLeaseUntil?.N;
  return until === undefined ? undefined : Number(until);
}

/** The list in a stream record's new or old image; throws on a record that is not a list. */
export function listFromStreamImage(record: DynamoDBRecord, image: "NewImage" | "OldImage"): ListRecord {
  const raw = record.dynamodb?.[image];
  if (!raw) throw new Error(`Stream record ${record.eventID ?? "?"} has no ${image}`);
  const item = unmarshall(raw as Record<string, AttributeValue>);
  listImageSchema.parse(item);
  return toListRecord(item);
}
