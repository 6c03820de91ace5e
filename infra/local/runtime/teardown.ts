/**
 * What a running local stack must undo when it stops: each step added is undone once, newest first
 * (the API before the pollers, the pollers before the databases they read); a step that fails is
 * logged and the others still run.
 */
export class Teardown {
  private readonly steps: (() => Promise<void>)[] = [];
  private readonly log: (message: string) => void;

  constructor(log: (message: string) => void) {
    this.log = log;
  }

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  /** Runs `run` every `intervalMs` until the stack stops. */
  repeatUntilStop(intervalMs: number, run: () => void): void {
    const timer = setInterval(run, intervalMs);
    this.add(async () => clearInterval(timer));
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await step().catch((error) => this.log(`stop failed: ${String(error)}`));
    }
  }
}
