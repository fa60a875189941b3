import type { ExpertEventKind } from './analytics';

const DAY_MS = 86_400_000;

/**
 * Counts frequent analytics events (search appearances: up to 50 experts per search) in memory
 * and writes them in batches — one increment per expert, kind and day per flush instead of one
 * write per appearance per request. A flush that fails keeps its counts for the next one; counts
 * not yet flushed when an instance stops are lost, which analytics can bear.
 */
export class EventTally {
  private counts = new Map<string, number>();
  private flushedAt = Date.now();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly write: (expertId: string, kind: ExpertEventKind, day: Date, count: number) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** The UTC day last counted on, as its first millisecond and its date (formatting a date per event showed in profiles). */
  private day = { start: 0, text: '' };

  add(expertId: string, kind: ExpertEventKind, at = Date.now()): void {
    if (at < this.day.start || at >= this.day.start + DAY_MS) {
      const start = at - (at % DAY_MS);
      this.day = { start, text: new Date(start).toISOString().slice(0, 10) };
    }
    const key = `${expertId}\n${kind}\n${this.day.text}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Writes the counts when the interval has passed (every time with an interval of 0). */
  async flushIfDue(now = Date.now()): Promise<void> {
    if (now - this.flushedAt < this.intervalMs || this.counts.size === 0) return;
    this.flushing ??= this.flush(now).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async flush(now: number): Promise<void> {
    const batch = this.counts;
    this.counts = new Map();
    this.flushedAt = now;
    for (const [key, count] of batch) {
      const [expertId, kind, day] = key.split('\n') as [string, ExpertEventKind, string];
      try {
        await this.write(expertId, kind, new Date(`${day}T12:00:00Z`), count);
      } catch {
        this.counts.set(key, (this.counts.get(key) ?? 0) + count);
      }
    }
  }
}
