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

/** Runs one invocation of `functionName`, counted and timed when there is a counter. */
export function timedInvocation<T>(
  counter: InvocationCounter | undefined,
  functionName: string,
  run: () => Promise<T>,
): Promise<T> {
  return counter ? counter.time(functionName, run) : run();
}

/** Counts invocations per function and how long they ran, for the benchmark and the start banner. */
export class InvocationCounter {
  readonly counts = new Map<string, number>();
  /** Wall time spent inside invocations, per function (what Lambda bills, before rounding). */
  readonly busyMs = new Map<string, number>();
  /** The longest single invocation, per function. */
  readonly longestMs = new Map<string, number>();
  add(functionName: string): void {
    this.counts.set(functionName, (this.counts.get(functionName) ?? 0) + 1);
  }
  clear(): void {
    this.counts.clear();
    this.busyMs.clear();
    this.longestMs.clear();
  }
  /** Counts one invocation of `functionName` and the time `run` takes. */
  async time<T>(functionName: string, run: () => Promise<T>): Promise<T> {
    this.add(functionName);
    const started = performance.now();
    try {
      return await run();
    } finally {
      const ms = performance.now() - started;
      this.busyMs.set(functionName, (this.busyMs.get(functionName) ?? 0) + ms);
      this.longestMs.set(functionName, Math.max(this.longestMs.get(functionName) ?? 0, ms));
    }
  }
  /** GB-seconds billed for the time counted so far, with each function's memory size in MB. */
  gbSeconds(memoryMb: Readonly<Record<string, number>>): number {
    let total = 0;
    for (const name of this.busyMs.keys()) total += this.gbSecondsOf(name, memoryMb);
    return total;
  }
  /** GB-seconds billed for one function's time counted so far. */
  gbSecondsOf(functionName: string, memoryMb: Readonly<Record<string, number>>): number {
    return ((this.busyMs.get(functionName) ?? 0) / 1000) * ((memoryMb[functionName] ?? 128) / 1024);
  }
  total(): number {
    return [...this.counts.values()].reduce((sum, n) => sum + n, 0);
  }
}
