/**
 * `npm run redrive`: moves every message of the sync dead-letter queue back to the sync queue of the
 * running local stack (in AWS: `aws sqs start-message-move-task --source-arn <sync DLQ ARN>`).
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createSqsClient } from "#adapters/queue/SqsSyncQueue.ts";
import { progressLine } from "./progress.ts";
import { attachToRunningStack } from "./runningStack.ts";

const state = attachToRunningStack();
const sqs = createSqsClient(state.sqsEndpoint);
let moved = 0;
const show = progressLine();
for (;;) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: state.queues.syncDlq,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId"],
    }),
  );
  if (Messages.length === 0) break;
  for (const message of Messages) {
    const group = message.Attributes?.MessageGroupId ?? "redriven";
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: state.queues.sync,
        MessageBody: message.Body ?? "",
        MessageGroupId: group,
        // A new id: the original may still sit in SQS's five-minute deduplication window.
        MessageDeduplicationId: `${message.MessageId}-redrive-${Date.now()}`.slice(0, 128),
      }),
    );
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: state.queues.syncDlq, ReceiptHandle: message.ReceiptHandle }),
    );
    moved++;
    show(`  moved ${moved}`);
  }
}
console.log(`\nMoved ${moved} messages from the dead-letter queue back to the sync queue.`);
sqs.destroy();
