import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { DynamoDBRecord } from "aws-lambda";
import { createSqsClient } from "#adapters/queue/SqsSyncQueue.ts";
import { envNames, requireEnv } from "#config/env.ts";
import type { ListRecord } from "#domain/list.ts";
import { logger } from "#observability/observability.ts";
import { listFromStreamImage } from "./streamImages.ts";

let sqs: ReturnType<typeof createSqsClient> | undefined;

/**
 * The list in a stream record, or undefined for a record no retry can make readable: that one is
 * logged and sent to the stream-failures queue at once, so it neither blocks nor drags the rest of
 * its batch through the mapping's retries.
 */
export async function readListOrDeadLetter(
  record: DynamoDBRecord,
  image: "NewImage" | "OldImage",
): Promise<ListRecord | undefined> {
  try {
    return listFromStreamImage(record, image);
  } catch (error) {
    logger.error("Unreadable stream record; sent to the stream-failures queue", {
      eventID: record.eventID,
      error,
    });
    sqs ??= createSqsClient();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: requireEnv(envNames.streamFailuresQueueUrl),
        MessageBody: JSON.stringify({
          reason: "unreadable stream record",
          error: error instanceof Error ? error.message : String(error),
          record,
        }),
      }),
    );
    return undefined;
  }
}
