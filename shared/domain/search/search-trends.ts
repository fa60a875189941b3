import { createHash } from 'node:crypto';
import { addToCounter } from '../../data/counters';
import type { Container, Document } from '../../data/document-store';

/**
 * What the marketplace is searching for, rising: daily counters per subject (a specialization
 * searched, a search text, a service viewed), compared week over week.
 *
 * - Growth is smoothed: (last 7 days + K) / (previous 7 days + K) with K = 5, so a subject going
 *   from 0 to 1 is not "infinitely" rising, and a subject needs volume before it can outrank
 *   steady, popular ones. Ranked by growth, then by last week's volume.
 * - Privacy: a subject is shown only when it was counted at least 5 times in the last 7 days, on
 *   at least 2 different days, so one person's rare or repeated searches never surface. Search
 *   texts are recorded only when short and free of long digit runs (see isRecordableSearch).
 */
export const TREND_KINDS = ['specialization', 'search', 'service'] as const;
export type TrendKind = (typeof TREND_KINDS)[number];

export const TREND_RULES = { windowDays: 7, smoothing: 5, minCount: 5, minDays: 2 } as const;

export interface TrendCounter extends Document {
  /** The UTC day, `YYYY-MM-DD`, the partition. */
  day: string;
  kind: TrendKind;
  /** A specialization id, a normalised search text, or `expertId:serviceId`. */
  subject: string;
  count: number;
}

export interface Trend {
  kind: TrendKind;
  subject: string;
  count: number;
  previousCount: number;
  growth: number;
}

export interface TrendWindow {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
}

const DAY_MS = 86_400_000;
const utcDay = (at: Date | number) => new Date(at).toISOString().slice(0, 10);

/** The last `windowDays` days up to today, and the as many days before them. */
export function trendWindow(now: Date): TrendWindow {
  const today = Date.parse(utcDay(now));
  const days = TREND_RULES.windowDays;
  return { from: utcDay(today - (days - 1) * DAY_MS), to: utcDay(today), previousFrom: utcDay(today - (2 * days - 1) * DAY_MS), previousTo: utcDay(today - days * DAY_MS) };
}

export function smoothedGrowth(count: number, previousCount: number): number {
  return (count + TREND_RULES.smoothing) / (previousCount + TREND_RULES.smoothing);
}

/** Short search texts only, without runs of five or more digits (order, phone or account numbers). */
export function isRecordableSearch(normalizedText: string): boolean {
  return normalizedText.length >= 2 && normalizedText.length <= 60 && normalizedText.split(' ').length <= 6 && !/\d{5,}/.test(normalizedText);
}

export class SearchTrends {
  constructor(private readonly container: Container<TrendCounter>) {}

  /** Adds `count` events on their UTC day; one document per day, kind and subject. */
  async record(subject: string, kind: TrendKind, at: Date, count = 1): Promise<void> {
    const day = utcDay(at);
    // Search texts may hold characters ids cannot (`/`), so the id is a digest.
    const id = `${kind}-${createHash('sha256').update(subject).digest('base64url').slice(0, 32)}`;
    await addToCounter(this.container, day, id, 'count', count, () => ({ id, day, kind, subject, count }));
  }

  /** Rising subjects of the given kinds over the window ending today, best first, above the privacy threshold. */
  async rising(kinds: readonly TrendKind[], now: Date): Promise<Trend[]> {
    const window = trendWindow(now);
    const between = (from: string, to: string) => ({
      and: [
        { field: 'day', op: 'gte' as const, value: from },
        { field: 'day', op: 'lte' as const, value: to },
        { field: 'kind', op: 'in' as const, values: [...kinds] },
      ],
    });
    const recent = await this.container.aggregate({
      where: between(window.from, window.to),
      groupBy: ['kind', 'subject'],
      // One document per subject and day, so counting documents counts the days it was seen on.
      aggregates: { count: { fn: 'sum', field: 'count' }, days: { fn: 'count' } },
    });
    const visible = recent.filter((row) => Number(row.count) >= TREND_RULES.minCount && Number(row.days) >= TREND_RULES.minDays);
    if (visible.length === 0) return [];
    const previous = await this.container.aggregate({
      where: between(window.previousFrom, window.previousTo),
      groupBy: ['kind', 'subject'],
      aggregates: { count: { fn: 'sum', field: 'count' } },
    });
    const before = new Map(previous.map((row) => [`${row.kind}\n${row.subject}`, Number(row.count)]));
    return visible
      .map((row) => {
        const count = Number(row.count);
        const previousCount = before.get(`${row.kind}\n${row.subject}`) ?? 0;
        return { kind: row.kind as TrendKind, subject: String(row.subject), count, previousCount, growth: smoothedGrowth(count, previousCount) };
      })
      .sort((a, b) => b.growth - a.growth || b.count - a.count || a.subject.localeCompare(b.subject));
  }
}
