import { randomUUID } from "node:crypto";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { PollerChaos } from "./chaos.ts";
import { type InvocationCounter, type LambdaHandler, timedInvocation } from "./lambdaContext.ts";
import { SlotQueue } from "./slotQueue.ts";
import { type HandlerRuntime, inProcessRuntime } from "./workerInvoker.ts";

export interface SqsMappingOptions {
  functionName: string;
  handler: LambdaHandler<SQSEvent, SQSBatchResponse | undefined>;
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  timeoutSeconds: number;
  /** Concurrent invocations for the queue, like Lambda's (one receiver hands batches to them). */
  concurrency: number;
  invocations?: InvocationCounter;
  /** Runs the invocations (default: `handler` in this thread); a `WorkerPool` isolates them so they can be killed. */
  runtime?: HandlerRuntime<SQSEvent, SQSBatchResponse | undefined>;
  /** Duplicated deliveries and sends, for chaos runs. */
  chaos?: PollerChaos;
  log?: (message: string) => void;
}

/**
 * An SQS event source mapping, run locally: long-polls the queue, invokes the handler with a batch,
 * deletes the records that succeeded and leaves the `batchItemFailures` (or, when the handler
 * throws, the whole batch) to reappear after the visibility timeout, so the queue's redrive policy
 * moves them to the DLQ after maxReceiveCount receives. An invocation that dies (a killed or timed
 * out worker) is a failed invocation: nothing is deleted.
 *
 * Chaos (optional): a batch is delivered a second time with the same records after the first
 * invocation returned, as at-least-once delivery may do; a received message is sent to the queue
 * again, as a producer retrying its send would.
 */
export class SqsPoller {
  private readonly options: SqsMappingOptions;
  private readonly runtime: HandlerRuntime<SQSEvent, SQSBatchResponse | undefined>;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();

  constructor(options: SqsMappingOptions) {
    this.options = options;
    this.runtime =
      options.runtime ?? inProcessRuntime(options.functionName, options.handler, options.timeoutSeconds);
  }

  start(): void {
    this.running = true;
    this.loop = this.run(new SlotQueue(this.options.concurrency));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const abort of this.aborts) abort.abort();
    await this.runtime.stop();
    await Promise.all(this.inFlight);
    // The receiver may be waiting for a slot that the invocations just gave back.
    await this.loop;
  }

  /**
   * One receiver per queue, as Lambda's pollers hand batches to the function's concurrent invocations: it waits
   * for a free concurrency slot, long-polls once, and hands what it got to that slot without waiting for it.
   * (A long poll per slot made every waiting poller answer each new message, most of them empty.)
   */
  private async run(slots: SlotQueue): Promise<void> {
    while (this.running) {
      const slot = await slots.take();
      if (!this.running) {
        slots.give(slot);
        return;
      }
      const messages = await this.receive();
      if (messages.length === 0) {
        slots.give(slot);
        continue;
      }
      const invocation = this.invoke(slot, messages)
        .catch((error: unknown) => {
          this.logFailure(error);
        })
        .finally(() => {
          this.inFlight.delete(invocation);
          slots.give(slot);
        });
      this.inFlight.add(invocation);
    }
  }

  /** One long poll of up to a batch; nothing when it failed (logged, after a pause) or the poller stopped. */
  private async receive(): Promise<Message[]> {
    const { sqs, queueUrl, batchSize } = this.options;
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
      return response.Messages ?? [];
    } catch (error) {
      if (this.logFailure(error)) await new Promise((resolve) => setTimeout(resolve, 1_000));
      return [];
    } finally {
      this.aborts.delete(abort);
    }
  }

  /** Logs a failed receive or invocation while the poller runs (one stopping aborts them); whether it logged. */
  private logFailure(error: unknown): boolean {
    if (!this.running) return false;
    this.options.log?.(`sqs poller ${this.options.functionName}: ${String(error)}`);
    return true;
  }

  private async invoke(slot: number, messages: Message[]): Promise<void> {
    const { functionName, sqs, queueUrl, chaos } = this.options;
    const records = messages.map((message) => this.toRecord(message));
    if (chaos) await this.sendDuplicates(messages, chaos);
    const failed = await this.call(slot, records);
    if (chaos?.duplicateDelivery(functionName)) {
      // The same records once more, before the first delivery's deletes: the duplicate's outcome is ignored.
      await this.call(slot, records);
    }
    if (failed === "all") return;
    const done = messages.filter((message) => !failed.has(message.MessageId ?? ""));
    if (done.length === 0) return;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }

  /** Invokes the function once; the ids of the failed records, or "all" when the invocation failed. */
  private async call(slot: number, records: SQSRecord[]): Promise<Set<string> | "all"> {
    const { functionName } = this.options;
    try {
      const response = await timedInvocation(this.options.invocations, functionName, () =>
        this.runtime.invoke(slot, { Records: records }),
      );
      return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      if (this.running) this.options.log?.(`${functionName} failed: ${String(error)}`);
      return "all";
    }
  }

  private async sendDuplicates(messages: Message[], chaos: PollerChaos): Promise<void> {
    for (const message of messages) {
      const group = message.Attributes?.MessageGroupId;
      if (!chaos.duplicateSend(this.options.functionName, message.Body ?? "")) continue;
      await this.options.sqs.send(
        new SendMessageCommand({
          QueueUrl: this.options.queueUrl,
          MessageBody: message.Body ?? "",
          ...(group ? { MessageGroupId: group, MessageDeduplicationId: randomUUID() } : {}),
        }),
      );
    }
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
