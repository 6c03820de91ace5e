/**
 * Hands out a runtime's concurrency slots (0 … size-1), one invocation each, as Lambda runs one invocation per
 * container: `take()` resolves with a free slot, waiting in arrival order while all are busy; `give()` returns it.
 */
export class SlotQueue {
  private readonly free: number[];
  private readonly waiting: ((slot: number) => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`A slot queue needs at least one slot, not ${size}`);
    this.free = Array.from({ length: size }, (_, slot) => slot);
  }

  take(): Promise<number> {
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(slot: number): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}
