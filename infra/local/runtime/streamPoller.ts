import { createHash } from "node:crypto";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import type { EventFilterPattern } from "#config/eventFilters.ts";
import type { PollerChaos } from "./chaos.ts";
import { matchesFilter } from "./eventFilter.ts";
import { type InvocationCounter, type LambdaHandler, timedInvocation } from "./lambdaContext.ts";
import { type HandlerRuntime, inProcessRuntime } from "./workerInvoker.ts";

export interface StreamMappingOptions {
  functionName: string;
  handler: LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined>;
  streamArn: string;
  filter: EventFilterPattern;
  batchSize: number;
  retryAttempts: number;
  timeoutSeconds: number;
  /** Where a batch goes after its retries, like the mapping's on-failure destination. */
  onFailure: { sqs: SQSClient; queueUrl: string };
  invocations?: InvocationCounter;
  /** Runs the invocations (default: `handler` in this thread); a `WorkerPool` isolates them so they can be killed. */
  runtime?: HandlerRuntime<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined>;
  /** Duplicated deliveries, for chaos runs. */
  chaos?: PollerChaos;
  pollIntervalMs?: number;
  /**
   * Batches of one shard in flight at once, as the mapping's ParallelizationFactor: records go to a lane by their
   * partition key, so one key's records stay in order while a slow batch (a create waiting for its user's Trakt
   * write slot) does not hold up other users' records. Each lane invokes on its own runtime slot. Default 1.
   */
  parallelizationFactor?: number;
  /**
   * Where each shard was read to (`<functionName>:<shardId>` → last sequence number), as Lambda's
   * mapping remembers it: with persisted data a restarted stack resumes there instead of replaying.
   */
  checkpoints?: Map<string, string>;
  log?: (message: string) => void;
}

/** How often the shards are listed while some can be read. */
const shardDiscoveryMs = 5_000;

/**
 * A DynamoDB stream event source mapping, run locally: reads every shard in order, drops records
 * the filter rejects, invokes the handler with batches, retries from the first reported
 * `batchItemFailures` record (or the whole batch when the handler throws) with backoff, and after
 * `retryAttempts` sends the batch's description to the on-failure queue and moves on. A killed or
 * timed-out invocation counts as a thrown error. Chaos (optional): a batch that succeeded is delivered
 * once more, as the mapping's at-least-once delivery may do.
 */
export class StreamPoller {
  private readonly options: StreamMappingOptions;
  private readonly runtime: HandlerRuntime<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined>;
  private readonly streams: DynamoDBStreamsClient;
  private readonly shards = new Map<string, string | null>();
  /** When the shards were last listed. */
  private discoveredAt = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  /** Each lane's queue of batches: the promise of its last scheduled batch. */
  private readonly lanes: Promise<void>[];

  /** Where each shard was read to (the persisted checkpoints when given), to resume after a new iterator. */
  private readonly positions: Map<string, string>;
  constructor(options: StreamMappingOptions, endpoint: string) {
    this.options = options;
    this.positions = options.checkpoints ?? new Map();
    this.lanes = Array.from({ length: Math.max(1, options.parallelizationFactor ?? 1) }, () =>
      Promise.resolve(),
    );
    this.runtime =
      options.runtime ?? inProcessRuntime(options.functionName, options.handler, options.timeoutSeconds);
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: process.env.AWS_REGION ?? "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.runtime.stop();
    await this.loop;
    await Promise.all(this.lanes);
    this.streams.destroy();
  }

  private async run(): Promise<void> {
    // AWS polls a stream shard about 4 times a second. (100 ms was tried: it saves ≤ 0.1 s per list created, and
    // with many local stacks on one shared DynamoDB Local, as in `npm test`, the extra polls slow every stack down.)
    const pause = this.options.pollIntervalMs ?? 200;
    while (this.running) {
      try {
        if (this.shouldDiscover()) await this.discoverShards();
        let read = 0;
        for (const [shardId, iterator] of this.shards) {
          if (!this.running) break;
          if (iterator) read += await this.pollShard(shardId, iterator);
        }
        if (read === 0) await sleep(pause);
      } catch (error) {
        this.options.log?.(`stream poller ${this.options.functionName}: ${String(error)}`);
        await sleep(1_000);
      }
    }
  }

  /**
   * Whether to list the stream's shards now: while no shard can be read (none yet, or each closed or dropped for a
   * new iterator), and else every `shardDiscoveryMs` (a new shard comes when one closes). Listing them on every
   * poll made most of the local stack's stream calls.
   */
  private shouldDiscover(): boolean {
    const readable = [...this.shards.values()].some((iterator) => iterator !== null);
    return !readable || Date.now() >= this.discoveredAt + shardDiscoveryMs;
  }

  private async discoverShards(): Promise<void> {
    this.discoveredAt = Date.now();
    let exclusiveStartShardId: string | undefined;
    do {
      const response = await this.streams.send(
        new DescribeStreamCommand({
          StreamArn: this.options.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      for (const shard of response.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
        const after = this.positions.get(`${this.options.functionName}:${shard.ShardId}`);
        const iterator = await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.options.streamArn,
            ShardId: shard.ShardId,
            ...(after
              ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
              : { ShardIteratorType: "TRIM_HORIZON" }),
          }),
        );
        this.shards.set(shard.ShardId, iterator.ShardIterator ?? null);
      }
      exclusiveStartShardId = response.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  private async pollShard(shardId: string, iterator: string): Promise<number> {
    let response: Awaited<ReturnType<typeof this.getRecords>>;
    try {
      response = await this.getRecords(iterator);
    } catch (error) {
      // DynamoDB Local answers a TRIM_HORIZON iterator taken on a still-empty shard with
      // TrimmedDataAccessException once another table of the same instance has written: take a new
      // iterator (after the last record read, or from the trim horizon) on the next discovery.
      const name = (error as { name?: string }).name;
      if (name !== "TrimmedDataAccessException" && name !== "ExpiredIteratorException") throw error;
      this.shards.delete(shardId);
      this.discoveredAt = 0;
      return 0;
    }
    const records = (response.Records ?? []).map((record) => toLambdaRecord(record, this.options.streamArn));
    const matching = records.filter((record) => matchesFilter(record, this.options.filter));
    const delivered = this.schedule(shardId, matching);
    this.shards.set(shardId, response.NextShardIterator ?? null);
    // A closed shard has children to read: list the shards on the next poll.
    if (!response.NextShardIterator) this.discoveredAt = 0;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    // The checkpoint moves once every lane has handled what this read gave it (lanes finish in order).
    if (last) void delivered.then(() => this.positions.set(`${this.options.functionName}:${shardId}`, last));
    if (this.lanes.length === 1) await delivered;
    return records.length;
  }

  /** Queues the records on their lanes in batches; resolves when all of them are handled. */
  private schedule(shardId: string, records: DynamoDBRecord[]): Promise<void> {
    const byLane = new Map<number, DynamoDBRecord[]>();
    for (const record of records) {
      const lane = laneOf(record, this.lanes.length);
      const laneRecords = byLane.get(lane) ?? [];
      laneRecords.push(record);
      byLane.set(lane, laneRecords);
    }
    for (const [lane, laneRecords] of byLane) {
      for (let start = 0; start < laneRecords.length; start += this.options.batchSize) {
        const batch = laneRecords.slice(start, start + this.options.batchSize);
        this.lanes[lane] = this.lanes[lane]!.then(() => this.deliver(shardId, lane, batch)).catch((error) =>
          this.options.log?.(`stream poller ${this.options.functionName}: ${String(error)}`),
        );
      }
    }
    return Promise.all(this.lanes).then(() => undefined);
  }

  private getRecords(iterator: string) {
    return this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
  }

  private async deliver(shardId: string, lane: number, batch: DynamoDBRecord[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const failedFrom = await this.invoke(lane, pending);
      if (failedFrom === undefined) {
        // At-least-once: the same records again; this delivery's outcome is not retried.
        if (this.options.chaos?.duplicateDelivery(this.options.functionName))
          await this.invoke(lane, pending);
        return;
      }
      pending = pending.slice(failedFrom);
      if (!this.running) return;
      if (attempt >= this.options.retryAttempts) {
        await this.sendToOnFailure(shardId, pending);
        return;
      }
      await sleep(Math.min(10_000, 500 * 2 ** attempt));
    }
  }

  /** Index of the first record to retry, or undefined when the whole batch succeeded. */
  private async invoke(lane: number, batch: DynamoDBRecord[]): Promise<number | undefined> {
    const { functionName } = this.options;
    try {
      const response = await timedInvocation(this.options.invocations, functionName, () =>
        this.runtime.invoke(lane, { Records: batch }),
      );
      const failures = response?.batchItemFailures ?? [];
      if (failures.length === 0) return undefined;
      const failed = new Set(failures.map((f) => f.itemIdentifier));
      const index = batch.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ""));
      return Math.max(index, 0);
    } catch (error) {
      if (this.running) this.options.log?.(`${functionName} failed: ${String(error)}`);
      return 0;
    }
  }

  private async sendToOnFailure(shardId: string, batch: DynamoDBRecord[]): Promise<void> {
    const { onFailure, functionName, streamArn } = this.options;
    this.options.log?.(`${functionName}: ${batch.length} stream records sent to the on-failure queue`);
    await onFailure.sqs.send(
      new SendMessageCommand({
        QueueUrl: onFailure.queueUrl,
        MessageBody: JSON.stringify({
          requestContext: { functionArn: functionName, condition: "RetryAttemptsExhausted" },
          DDBStreamBatchInfo: {
            shardId,
            streamArn,
            batchSize: batch.length,
            startSequenceNumber: batch[0]?.dynamodb?.SequenceNumber,
            endSequenceNumber: batch.at(-1)?.dynamodb?.SequenceNumber,
          },
          records: batch,
        }),
      }),
    );
  }
}

function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord["eventName"],
    eventVersion: record.eventVersion ?? "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: record.awsRegion ?? "us-east-1",
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      Keys: data.Keys as never,
      ...(data.NewImage ? { NewImage: data.NewImage as never } : {}),
      ...(data.OldImage ? { OldImage: data.OldImage as never } : {}),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType as never,
    },
  };
}

/** The lane of a record: its partition key's hash, as Lambda spreads a shard over ParallelizationFactor batches. */
function laneOf(record: DynamoDBRecord, lanes: number): number {
  if (lanes === 1) return 0;
  const key = JSON.stringify(record.dynamodb?.Keys?.pk ?? "");
  return createHash("sha1").update(key).digest().readUInt32BE(0) % lanes;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
