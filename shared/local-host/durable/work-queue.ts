/**
 * Runs keyed work with a concurrency limit, one run per key at a time: a key scheduled while its
 * run is in flight runs again afterwards (an orchestration instance, an entity). Unkeyed work
 * (activities) uses a fresh key per item.
 */
export class WorkQueue {
  private readonly waiting: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly idle: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly limit: number,
    private readonly work: (key: string) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  schedule(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.waiting.push(key);
    this.pump();
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Takes no new work; resolves when the runs in flight have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    this.queued.clear();
    if (this.running.size === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.limit && this.waiting.length) {
      const key = this.waiting.shift()!;
      this.queued.delete(key);
      this.running.add(key);
      void this.work(key)
        .catch((error: unknown) => this.onError(key, error))
        .finally(() => {
          this.running.delete(key);
          if (this.again.delete(key)) this.schedule(key);
          if (this.running.size === 0) this.idle.splice(0).forEach((resolve) => resolve());
          this.pump();
        });
    }
  }
}
