import { Worker } from "node:worker_threads";
import type { InvocationReply, InvocationRequest, InvocationWorkerData } from "./invocationWorker.ts";
import { type LambdaHandler, localContext } from "./lambdaContext.ts";

/**
 * How a poller runs its function: `invoke(slot, event)` runs one invocation on one of the
 * mapping's concurrency slots (0 … concurrency-1), as Lambda runs one invocation per container.
 */
export interface HandlerRuntime<E, R> {
  readonly functionName: string;
  invoke(slot: number, event: E): Promise<R>;
  stop(): Promise<void>;
}

/** The handler called in this thread (the default): fast, but it cannot be killed mid-invocation. */
export function inProcessRuntime<E, R>(
  functionName: string,
  handler: LambdaHandler<E, R>,
  timeoutSeconds: number,
): HandlerRuntime<E, R> {
  return {
    functionName,
    invoke: (_slot, event) => handler(event, localContext(functionName, timeoutSeconds)),
    stop: async () => undefined,
  };
}

/** An invocation that ended without an answer: its worker was killed, timed out or died. */
export class InvocationKilledError extends Error {
  readonly reason: "killed" | "timeout" | "crashed" | "stopped";
  constructor(functionName: string, reason: InvocationKilledError["reason"], detail?: string) {
    super(
      reason === "timeout"
        ? `${functionName}: Task timed out`
        : `${functionName}: invocation ${reason}${detail ? `: ${detail}` : ""}`,
    );
    this.name = "InvocationKilledError";
    this.reason = reason;
  }
}

export interface RunningInvocation {
  functionName: string;
  slot: number;
  startedAt: number;
}

export interface WorkerPoolOptions {
  functionName: string;
  /** The handler module (a `file:` URL); each worker imports it and builds its own clients. */
  moduleUrl: URL;
  exportName?: string;
  /** Modules each worker imports before the handler's (see `LocalStackOptions.workerPreload`). */
  preload?: readonly URL[];
  /** Concurrency slots: one long-lived worker each, replaced after it is killed. */
  size: number;
  /** The function's timeout: an invocation running longer is killed, as Lambda does. */
  timeoutSeconds: number;
  log?: (message: string) => void;
}

interface Pending {
  id: number;
  startedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker | undefined;
  ready: Promise<Worker> | undefined;
  pending: Pending | undefined;
}

const workerUrl = new URL("./invocationWorker.ts", import.meta.url);

/**
 * Runs every invocation of one function inside a worker thread, one long-lived worker per
 * concurrency slot (a warm Lambda container). Workers inherit `process.env` when they start and
 * build their own clients. `kill(slot)` terminates a worker mid-invocation: the invocation fails
 * with `InvocationKilledError` (the poller then treats it as a failed invocation) and the slot gets a
 * fresh worker on its next invocation, like a cold start.
 */
export class WorkerPool<E, R> implements HandlerRuntime<E, R> {
  readonly functionName: string;
  readonly counts = { workersStarted: 0, killed: 0, timedOut: 0, crashed: 0 };
  private readonly options: WorkerPoolOptions;
  private readonly slots: Slot[];
  private nextId = 1;
  private stopped = false;

  constructor(options: WorkerPoolOptions) {
    this.options = options;
    this.functionName = options.functionName;
    this.slots = Array.from({ length: options.size }, () => ({
      worker: undefined,
      ready: undefined,
      pending: undefined,
    }));
  }

  async invoke(slotIndex: number, event: E): Promise<R> {
    const slot = this.slots[slotIndex];
    if (!slot) throw new Error(`${this.functionName}: no slot ${slotIndex}`);
    if (slot.pending) throw new Error(`${this.functionName}: slot ${slotIndex} is busy`);
    if (this.stopped) throw new InvocationKilledError(this.functionName, "stopped");
    const worker = await this.workerOf(slotIndex);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (slot.pending?.id !== id) return;
        this.counts.timedOut++;
        this.terminate(slotIndex, new InvocationKilledError(this.functionName, "timeout"));
      }, this.options.timeoutSeconds * 1000);
      slot.pending = {
        id,
        startedAt: Date.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
      };
      const request: InvocationRequest = { id, event, timeoutSeconds: this.options.timeoutSeconds };
      worker.postMessage(request);
    });
  }

  /** Invocations in flight right now. */
  running(): RunningInvocation[] {
    return this.slots.flatMap((slot, index) =>
      slot.pending
        ? [{ functionName: this.functionName, slot: index, startedAt: slot.pending.startedAt }]
        : [],
    );
  }

  /** Kills the worker of `slot` if it is mid-invocation; true when it was. */
  kill(slotIndex: number): boolean {
    const slot = this.slots[slotIndex];
    if (!slot?.pending) return false;
    this.counts.killed++;
    this.terminate(slotIndex, new InvocationKilledError(this.functionName, "killed"));
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const workers = this.slots.map((slot, index) => {
      const worker = slot.worker;
      this.terminate(index, new InvocationKilledError(this.functionName, "stopped"));
      return worker;
    });
    await Promise.all(workers.map((worker) => worker?.terminate()));
  }

  private workerOf(slotIndex: number): Promise<Worker> {
    const slot = this.slots[slotIndex]!;
    if (slot.ready) return slot.ready;
    const data: InvocationWorkerData = {
      moduleUrl: this.options.moduleUrl.href,
      exportName: this.options.exportName ?? "handler",
      functionName: this.functionName,
      preload: (this.options.preload ?? []).map((url) => url.href),
    };
    // env: a copy of process.env as it is now (the stack has set the handlers' environment by then).
    const worker = new Worker(workerUrl, { workerData: data, env: { ...process.env } });
    this.counts.workersStarted++;
    slot.worker = worker;
    slot.ready = new Promise<Worker>((resolve, reject) => {
      const onStartFailure = (error: Error) => {
        if (slot.worker === worker) {
          slot.worker = undefined;
          slot.ready = undefined;
        }
        reject(error);
      };
      worker.once("error", onStartFailure);
      worker.once("exit", (code) => onStartFailure(new Error(`worker exited with ${code} while starting`)));
      worker.once("message", () => {
        worker.removeAllListeners("error");
        worker.removeAllListeners("exit");
        this.watch(slotIndex, worker);
        resolve(worker);
      });
    });
    return slot.ready;
  }

  private watch(slotIndex: number, worker: Worker): void {
    const slot = this.slots[slotIndex]!;
    worker.on("message", (reply: InvocationReply) => {
      const pending = slot.pending;
      if (slot.worker !== worker || !pending || pending.id !== reply.id) return;
      clearTimeout(pending.timer);
      slot.pending = undefined;
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(reply.error));
    });
    worker.on("error", (error) => {
      if (slot.worker !== worker) return;
      this.counts.crashed++;
      this.options.log?.(`${this.functionName} worker ${slotIndex} crashed: ${String(error)}`);
      this.terminate(slotIndex, new InvocationKilledError(this.functionName, "crashed", String(error)));
    });
    worker.on("exit", (code) => {
      if (slot.worker !== worker) return;
      this.terminate(slotIndex, new InvocationKilledError(this.functionName, "crashed", `exit code ${code}`));
    });
  }

  /** Drops the slot's worker (a fresh one starts on the next invocation) and fails its invocation. */
  private terminate(slotIndex: number, reason: InvocationKilledError): void {
    const slot = this.slots[slotIndex]!;
    const { worker, pending } = slot;
    slot.worker = undefined;
    slot.ready = undefined;
    slot.pending = undefined;
    if (worker) void worker.terminate().catch(() => undefined);
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
  }
}
