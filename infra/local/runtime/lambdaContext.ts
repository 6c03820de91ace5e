import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** A Lambda context for a local invocation, with the function's name and timeout. */
export function localContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

/** Counts invocations per function and how long they ran, for the benchmark and the start banner. */
export class InvocationCounter {
  readonly counts = new Map<string, number>();
  /** Summed invocation durations (ms) per function. */
  readonly durationsMs = new Map<string, number>();
  /** Counts one invocation; call the returned function when it ends, to add its duration. */
  add(functionName: string): () => void {
    this.counts.set(functionName, (this.counts.get(functionName) ?? 0) + 1);
    const started = performance.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const ms = performance.now() - started;
      this.durationsMs.set(functionName, (this.durationsMs.get(functionName) ?? 0) + ms);
    };
  }

  clear(): void {
    this.counts.clear();
    this.durationsMs.clear();
  }
  total(): number {
    return [...this.counts.values()].reduce((sum, n) => sum + n, 0);
  }
}
