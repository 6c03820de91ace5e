import { Duration } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { type IQueue, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { syncMaxConcurrency, syncQueue } from "#config/resources.ts";
import { topicAlarm } from "#infra/constructs/ServiceAlarms.ts";

/**
 * The service's queues: the FIFO sync queue and its dead-letter queue, and the queue where stream
 * batches that kept failing land (metadata of the records, not the records).
 *
 * Made in `scope` itself (ids `SyncQueue`, `SyncDeadLetterQueue`, `StreamFailuresQueue`), so their
 * logical ids stay those of the deployed queues and the messages in them.
 */
export class ServiceQueues {
  public readonly syncDeadLetter: Queue;
  public readonly sync: Queue;
  public readonly streamFailures: Queue;

  public constructor(scope: Construct) {
    this.syncDeadLetter = new Queue(scope, "SyncDeadLetterQueue", {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.sync = new Queue(scope, "SyncQueue", {
      fifo: syncQueue.fifo,
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.seconds(syncQueue.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.syncDeadLetter, maxReceiveCount: syncQueue.maxReceiveCount },
    });
    this.streamFailures = new Queue(scope, "StreamFailuresQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  /** Feeds `fn` from the sync queue, with partial batch responses and bounded concurrency. */
  public feedSync(fn: IFunction): void {
    fn.addEventSource(
      new SqsEventSource(this.sync, {
        batchSize: syncQueue.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: syncMaxConcurrency,
      }),
    );
  }

  /** Tells `topic` (and when it clears) as soon as either dead-letter queue holds a message. */
  public alarmOnDeadLetters(scope: Construct, topic: ITopic): void {
    const queueAlarms: [string, IQueue, string][] = [
      ["SyncDeadLetterQueueAlarm", this.syncDeadLetter, "Sync messages exhausted their retries"],
      ["StreamFailuresAlarm", this.streamFailures, "Table stream batches failed list-created/list-deleted"],
    ];
    for (const [id, queue, description] of queueAlarms) {
      topicAlarm(scope, id, {
        description: `${description}; inspect ${id.replace(/Alarm$/, "")} and redrive`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: "Maximum",
        }),
        threshold: 1,
        topic,
      });
    }
  }
}
