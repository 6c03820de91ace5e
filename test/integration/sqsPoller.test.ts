import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createSqsClient } from "#adapters/queue/SqsSyncQueue.ts";
import { SqsPoller } from "#infra/local/runtime/sqsPoller.ts";
import { eventually } from "#test/support/eventually.ts";
import { fauxqsForTests } from "#test/support/fauxqs.ts";

const fauxqs = fauxqsForTests(createSqsClient);
let queueCounter = 0;

async function freshQueue(): Promise<{ url: string; arn: string }> {
  const sqs = fauxqs.client();
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `poller-${++queueCounter}` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: QueueUrl!, AttributeNames: ["QueueArn"] }),
  );
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** ReceiveMessage calls made through `sqs` from now on. */
function countReceives(client: SQSClient): { count: number } {
  const seen = { count: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "ReceiveMessageCommand") seen.count++;
      return next(args);
    },
    { step: "initialize", name: `countReceives${queueCounter}` },
  );
  return seen;
}

describe("the local SQS event source mapping", () => {
  it("runs invocations side by side up to its concurrency, with one long poll at a time, idle or not", async () => {
    // Prepare: a handler that takes 300 ms per batch; messages arriving one by one
    const queue = await freshQueue();
    const client = createSqsClient(fauxqs.endpoint());
    const receives = countReceives(client);
    let running = 0;
    let mostAtOnce = 0;
    const handled: string[] = [];
    const poller = new SqsPoller({
      functionName: "probe",
      handler: async (event: SQSEvent) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 300));
        handled.push(...event.Records.map((record) => record.body));
        running--;
        return { batchItemFailures: [] };
      },
      sqs: client,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 1,
      timeoutSeconds: 10,
      concurrency: 3,
    });
    poller.start();

    // Act
    for (let n = 0; n < 8; n++) {
      await fauxqs
        .client()
        .send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `message ${n}` }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await eventually(async () => (handled.length === 8 ? true : undefined), 10_000, "every message handled");
    const beforeIdle = receives.count;
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const whileIdle = receives.count - beforeIdle;
    await poller.stop();
    client.destroy();

    // Assess: three at once, never more; about one receive per message, and one long poll (1 s) at a time while
    // the queue is empty (a long poll per slot made three, each answered empty)
    expect(handled.sort()).toEqual(Array.from({ length: 8 }, (_, n) => `message ${n}`).sort());
    expect(mostAtOnce).toBe(3);
    expect(beforeIdle).toBeLessThan(8 * 2);
    expect(whileIdle).toBeLessThanOrEqual(3);
  });
});
