import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { envNames } from "#config/env.ts";
import { traced } from "#observability/observability.ts";

const clientHooks: ((client: DynamoDBClient) => void)[] = [];

/**
 * Has `hook` see every DynamoDB client this process makes from now on (the benchmark adds its capacity
 * meter, test/bench/capacityMeter.ts); the service itself adds none.
 */
export function onEveryDynamoClient(hook: (client: DynamoDBClient) => void): void {
  clientHooks.push(hook);
}

/**
 * The document client every repository uses. DYNAMODB_ENDPOINT points it at DynamoDB Local;
 * unset, it talks to the region's DynamoDB.
 */
export function createDocumentClient(
  endpoint = process.env[envNames.dynamoEndpoint],
): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? "us-east-1",
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : {},
  );
  for (const hook of clientHooks) hook(client);
  traced(client);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
