/** The backfill, run as its schedule would (compressed to `backfillEveryMs`) and once per convergence check. */
import type { LocalStack } from "#infra/local/runtime/localStack.ts";
import { sleep } from "./run.ts";

export class Backfills {
  runs = 0;
  /** What the latest run reported. */
  last: { examined: number } | undefined;
  private readonly stack: LocalStack;

  constructor(stack: LocalStack) {
    this.stack = stack;
  }

  async run(): Promise<void> {
    this.runs++;
    this.last = (await this.stack.runBackfill()) as { examined: number };
  }

  /** Runs the backfill every `everyMs` until the returned stop is awaited; failed runs are logged. */
  schedule(everyMs: number, log: (line: string) => void): () => Promise<void> {
    let on = true;
    const loop = (async () => {
      while (on) {
        await sleep(everyMs);
        if (on) await this.run().catch((error) => log(`  backfill failed: ${String(error)}`));
      }
    })();
    return async () => {
      on = false;
      await loop;
    };
  }
}
