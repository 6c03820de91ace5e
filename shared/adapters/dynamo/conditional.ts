import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

/**
 * A conditional write's answer, or undefined when its condition did not hold (another writer was first, the item
 * is gone…); any other error is thrown. The one way the repositories tell "not now" from a failure.
 */
export async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}
