/**
 * Run as a child process by `test/integration/dynamoDbLocal.test.ts`: starts DynamoDB Local, prints its endpoint
 * and the JVM's process id, then dies of an unhandled error without stopping it.
 */
import { startDynamoDbLocal } from "#infra/local/runtime/dynamoDbLocal.ts";

const dynamo = await startDynamoDbLocal();
process.stdout.write(`${JSON.stringify({ endpoint: dynamo.endpoint, pid: dynamo.pid })}\n`);
setTimeout(() => {
  throw new Error("crashed on purpose");
}, 10);
