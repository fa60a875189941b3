import { addToCounter } from '../../data/counters';
import type { Container, Document } from '../../data/document-store';

/**
 * Daily counters of how an expert is found: one document per expert per UTC day, incremented in
 * place with a patch, so a busy profile costs one small write per event and a year of history
 * is at most 366 point-sized documents in the expert's own partition.
 */
export const EXPERT_EVENT_KINDS = ['profileView', 'searchAppearance', 'suggestionAppearance', 'contactRequest'] as const;
export type ExpertEventKind = (typeof EXPERT_EVENT_KINDS)[number];

/** The counter each kind adds to, as the analytics endpoint names it. */
const COUNTER: Record<ExpertEventKind, keyof DayCounts> = {
  profileView: 'profileViews',
  searchAppearance: 'searchAppearances',
  suggestionAppearance: 'suggestionAppearances',
  contactRequest: 'contactRequests',
};

export interface DayCounts {
  profileViews: number;
  searchAppearances: number;
  suggestionAppearances: number;
  contactRequests: number;
}

export interface ExpertDay extends Document, DayCounts {
  /** The UTC day, `YYYY-MM-DD`; also the id, so a day is a point read or write. */
  id: string;
  expertId: string;
  day: string;
}

export interface AnalyticsSeries {
  from: string;
  to: string;
  totals: DayCounts;
  /** Every day of the range, zeros included, oldest first. */
  days: (DayCounts & { date: string })[];
}

/** The longest range one request may ask for. */
export const MAX_RANGE_DAYS = 366;

const zero = (): DayCounts => ({ profileViews: 0, searchAppearances: 0, suggestionAppearances: 0, contactRequests: 0 });
const DAY_MS = 86_400_000;

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** Days from `from` to `to` inclusive (ISO dates). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

/** The range a request names, with the defaults filled in: the 30 days up to `to`, which defaults to today (UTC). */
export function resolveRange(range: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = range.to ?? utcDay(now);
  return { from: range.from ?? utcDay(new Date(Date.parse(to) - 29 * DAY_MS)), to };
}

export class ExpertAnalytics {
  constructor(
    private readonly container: Container<ExpertDay>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts `count` events on their UTC day. Safe under concurrency: the increment is the store's. */
  async record(expertId: string, kind: ExpertEventKind, at: Date, count = 1): Promise<void> {
    const day = utcDay(at);
    await addToCounter(this.container, expertId, day, COUNTER[kind], count, () => ({ id: day, expertId, day, ...zero(), [COUNTER[kind]]: count }));
  }

  /** Counts by day over the range asked for, its defaults filled in (the 30 days up to today, UTC). */
  async seriesFor(expertId: string, range: { from?: string; to?: string }): Promise<AnalyticsSeries> {
    const { from, to } = resolveRange(range, this.now());
    return this.series(expertId, from, to);
  }

  /** Counts by day over `from`..`to` (inclusive ISO dates, at most MAX_RANGE_DAYS). */
  async series(expertId: string, from: string, to: string): Promise<AnalyticsSeries> {
    const page = await this.container.query({
      partitionKey: expertId,
      where: {
        and: [
          { field: 'day', op: 'gte', value: from },
          { field: 'day', op: 'lte', value: to },
        ],
      },
      orderBy: [{ field: 'day' }],
      limit: MAX_RANGE_DAYS + 1,
    });
    const stored = new Map(page.items.map((item) => [item.day, item]));
    const totals = zero();
    const days: AnalyticsSeries['days'] = [];
    for (let time = Date.parse(from); time <= Date.parse(to); time += DAY_MS) {
      const date = utcDay(new Date(time));
      const item = stored.get(date);
      const counts = zero();
      for (const key of Object.keys(counts) as (keyof DayCounts)[]) {
        counts[key] = item?.[key] ?? 0;
        totals[key] += counts[key];
      }
      days.push({ date, ...counts });
    }
    return { from, to, totals, days };
  }
}
