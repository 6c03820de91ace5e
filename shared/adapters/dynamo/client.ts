import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { envNames } from "#config/env.ts";
import { traced } from "#observability/observability.ts";
import { meterCapacity } from "./capacityMeter.ts";

/**
 * The document client every repository uses. DYNAMODB_ENDPOINT points it at DynamoDB Local;
 * unset, it talks to the region's DynamoDB. Every call's consumed capacity is metered (capacityMeter.ts).
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
  meterCapacity(client);
  traced(client);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
