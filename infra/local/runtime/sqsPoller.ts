import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { type InvocationCounter, type LambdaHandler, localContext } from "./lambdaContext.ts";

export interface SqsMappingOptions {
  functionName: string;
  handler: LambdaHandler<SQSEvent, SQSBatchResponse | undefined>;
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  timeoutSeconds: number;
  /** Concurrent pollers, like Lambda's concurrent invocations for one queue. */
  concurrency: number;
  invocations?: InvocationCounter;
  log?: (message: string) => void;
}

/**
 * An SQS event source mapping, run locally: long-polls the queue, invokes the handler with a batch,
 * deletes the records that succeeded and leaves the `batchItemFailures` (or, when the handler
 * throws, the whole batch) to reappear after the visibility timeout, so the queue's redrive policy
 * moves them to the DLQ after maxReceiveCount receives.
 */
export class SqsPoller {
  private readonly options: SqsMappingOptions;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly aborts = new Set<AbortController>();

  constructor(options: SqsMappingOptions) {
    this.options = options;
  }

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.run());
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const abort of this.aborts) abort.abort();
    await Promise.all(this.loops);
  }

  private async run(): Promise<void> {
    const { sqs, queueUrl, batchSize } = this.options;
    while (this.running) {
      const abort = new AbortController();
      this.aborts.add(abort);
      try {
        const response = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
          { abortSignal: abort.signal },
        );
        const messages = response.Messages ?? [];
        if (messages.length > 0) await this.invoke(messages);
      } catch (error) {
        if (this.running) {
          this.options.log?.(`sqs poller ${this.options.functionName}: ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      } finally {
        this.aborts.delete(abort);
      }
    }
  }

  private async invoke(messages: Message[]): Promise<void> {
    const { functionName, handler, timeoutSeconds, sqs, queueUrl } = this.options;
    const records = messages.map((message) => this.toRecord(message));
    this.options.invocations?.add(functionName);
    let failed: Set<string>;
    try {
      const response = await handler({ Records: records }, localContext(functionName, timeoutSeconds));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.options.log?.(`${functionName} failed: ${String(error)}`);
      return;
    }
    const done = messages.filter((message) => !failed.has(message.MessageId ?? ""));
    if (done.length === 0) return;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }

  private toRecord(message: Message): SQSRecord {
    const attributes = (message.Attributes ?? {}) as Record<string, string>;
    return {
      messageId: message.MessageId ?? "",
      receiptHandle: message.ReceiptHandle ?? "",
      body: message.Body ?? "",
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? "local",
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
        ...(attributes.MessageDeduplicationId
          ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
          : {}),
        ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? "",
      eventSource: "aws:sqs",
      eventSourceARN: this.options.queueArn,
      awsRegion: process.env.AWS_REGION ?? "us-east-1",
    };
  }
}
