import { createHash } from "node:crypto";
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { envNames } from "#config/env.ts";
import { traced } from "#observability/observability.ts";
import type { SyncQueue, SyncRequest } from "#sync/ports.ts";

/** SQS_ENDPOINT points the client at the local SQS emulator; unset, it talks to the region's SQS. */
export function createSqsClient(endpoint = process.env[envNames.sqsEndpoint]): SQSClient {
  return traced(
    new SQSClient(
      endpoint
        ? {
            endpoint,
            region: process.env.AWS_REGION ?? "us-east-1",
            credentials: { accessKeyId: "local", secretAccessKey: "local" },
          }
        : {},
    ),
  );
}

/**
 * The FIFO sync queue. A list's messages share one message group, so two syncs of the same list
 * never run at once; the deduplication id drops a request sent twice (retried API call, duplicated
 * stream record) within SQS's five-minute window.
 */
export class SqsSyncQueue implements SyncQueue {
  private readonly sqs: SQSClient;
  private readonly queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  async enqueue(request: SyncRequest): Promise<void> {
    const body = JSON.stringify(request);
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        MessageGroupId: request.listId,
        MessageDeduplicationId: createHash("sha256").update(body).digest("hex"),
      }),
    );
  }

  /** Makes a received message visible again after `delaySeconds` (the sync function then fails it). */
  async returnLater(receiptHandle: string, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(12 * 3600, Math.max(1, Math.ceil(delaySeconds))),
      }),
    );
  }
}
