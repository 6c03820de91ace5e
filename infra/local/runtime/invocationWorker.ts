/**
 * The body of one isolated "Lambda container" (a worker thread started by `WorkerPool`): it imports
 * the handler module once, builds its own clients on first use (from the environment it inherited),
 * and answers invocations by message, one at a time. Terminating the thread mid-invocation is a real
 * crash at an arbitrary point, like a Lambda dying.
 */
import { parentPort, workerData } from "node:worker_threads";
import { localContext } from "./lambdaContext.ts";

export interface InvocationWorkerData {
  /** file: URL of the handler module. */
  moduleUrl: string;
  exportName: string;
  functionName: string;
  /** file: URLs of modules imported before the handler's (a benchmark's meters, which hook every client). */
  preload: string[];
}

export interface InvocationRequest {
  id: number;
  event: unknown;
  timeoutSeconds: number;
}

export type InvocationReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

const port = parentPort;
if (!port) throw new Error("invocationWorker.ts runs inside a worker thread only");
const { moduleUrl, exportName, functionName, preload } = workerData as InvocationWorkerData;
for (const url of preload) await import(url);
const module = (await import(moduleUrl)) as Record<string, unknown>;
const handler = module[exportName];
if (typeof handler !== "function") throw new Error(`${moduleUrl} exports no function ${exportName}`);

port.on("message", async ({ id, event, timeoutSeconds }: InvocationRequest) => {
  let reply: InvocationReply;
  try {
    const result = await handler(event, localContext(functionName, timeoutSeconds));
    reply = { id, ok: true, result };
  } catch (error) {
    reply = { id, ok: false, error: describe(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    port.postMessage({ id, ok: false, error: `the handler's answer cannot be sent: ${describe(error)}` });
  }
});
port.postMessage({ ready: true });

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
