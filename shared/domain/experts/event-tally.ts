const DAY_MS = 86_400_000;
const YIELD_EVERY = 20;

/**
 * Counts frequent events in memory (an expert's search appearances: up to 50 experts per search;
 * search trends) and writes them in batches — one increment per subject, kind and day per flush
 * instead of one write per event per request. A flush that fails keeps its counts for the next
 * one; counts not yet flushed when an instance stops are lost, which analytics can bear.
 */
export class EventTally<Kind extends string> {
  /** Day (YYYY-MM-DD) → kind → subject → count: nested so counting an event builds no key string. */
  private counts = new Map<string, Map<Kind, Map<string, number>>>();
  private flushedAt = Date.now();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly write: (subject: string, kind: Kind, day: Date, count: number) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** The UTC day last counted on, as its first millisecond and its date (formatting a date per event showed in profiles). */
  private day = { start: 0, text: '' };

  add(subject: string, kind: Kind, at = Date.now()): void {
    if (at < this.day.start || at >= this.day.start + DAY_MS) {
      const start = at - (at % DAY_MS);
      this.day = { start, text: new Date(start).toISOString().slice(0, 10) };
    }
    this.count(this.day.text, kind, subject, 1);
  }

  /** Writes the counts when the interval has passed (every time with an interval of 0). */
  async flushIfDue(now = Date.now()): Promise<void> {
    if (now - this.flushedAt < this.intervalMs || this.counts.size === 0) return;
    this.flushing ??= this.flush(now).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private count(day: string, kind: Kind, subject: string, count: number): void {
    let kinds = this.counts.get(day);
    if (!kinds) this.counts.set(day, (kinds = new Map()));
    let subjects = kinds.get(kind);
    if (!subjects) kinds.set(kind, (subjects = new Map()));
    subjects.set(subject, (subjects.get(subject) ?? 0) + count);
  }

  private async flush(now: number): Promise<void> {
    const batch = this.counts;
    this.counts = new Map();
    this.flushedAt = now;
    let written = 0;
    for (const [day, kinds] of batch) {
      for (const [kind, subjects] of kinds) {
        for (const [subject, count] of subjects) {
          try {
            await this.write(subject, kind, new Date(`${day}T12:00:00Z`), count);
          } catch {
            this.count(day, kind, subject, count);
          }
          // A flush can hold tens of thousands of writes, and a local store's complete synchronously:
          // let waiting requests in between every few, or the flush would stall the instance for seconds.
          if (++written % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
  }
}
