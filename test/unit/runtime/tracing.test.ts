import { describe, expect, it } from "vitest";

// As in Lambda: the tracer is on only in a Lambda execution environment.
process.env.AWS_EXECUTION_ENV = "AWS_Lambda_nodejs24.x";
process.env.AWS_LAMBDA_FUNCTION_NAME = "sync";
process.env.AWS_XRAY_CONTEXT_MISSING = "IGNORE_ERROR";

describe("X-Ray tracing of AWS clients", () => {
  it("instruments the DynamoDB and SQS clients the services build", async () => {
    // Act
    const { createDocumentClient } = await import("#adapters/dynamo/client.ts");
    const { createSqsClient } = await import("#adapters/queue/SqsSyncQueue.ts");
    const doc = createDocumentClient("http://127.0.0.1:1");
    const sqs = createSqsClient("http://127.0.0.1:1");

    // Assess
    const names = (client: { middlewareStack: { identify(): string[] } }) =>
      client.middlewareStack.identify().join(",");
    expect(names(doc)).toMatch(/XRay/i);
    expect(names(sqs)).toMatch(/XRay/i);
  });
});
