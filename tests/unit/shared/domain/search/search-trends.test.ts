import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { searchTrends } from '../../../../../shared/domain/search/containers';
import { isRecordableSearch, SearchTrends, smoothedGrowth, type TrendCounter, trendWindow } from '../../../../../shared/domain/search/search-trends';

const NOW = new Date('2026-12-07T04:30:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

let trends: SearchTrends;

/** `count` events on each of the given days before NOW. */
const events = async (subject: string, kind: 'specialization' | 'search' | 'service', days: number[], count = 1) => {
  for (const day of days) await trends.record(subject, kind, daysAgo(day), count);
};

beforeEach(async () => {
  trends = new SearchTrends(await SqliteDocumentStore.open(':memory:').container<TrendCounter>(searchTrends));
});

describe('search trend maths', () => {
  it('compares the last 7 days, today included, with the 7 before', () => {
    expect(trendWindow(NOW)).toEqual({ from: '2026-12-01', to: '2026-12-07', previousFrom: '2026-11-24', previousTo: '2026-11-30' });
  });

  it('smooths growth so a first event is not an infinite rise', () => {
    expect(smoothedGrowth(1, 0)).toBeCloseTo(1.2);
    expect(smoothedGrowth(20, 0)).toBe(5);
    expect(smoothedGrowth(10, 10)).toBe(1);
    expect(smoothedGrowth(0, 15)).toBe(0.25);
  });

  it('ranks by growth, then by volume, counting only the two windows', async () => {
    await events('haccp', 'specialization', [0, 1, 2, 3], 5); // 20 now, 20 before: steady
    await events('haccp', 'specialization', [7, 8, 9, 10], 5);
    await events('kosher', 'specialization', [0, 1], 10); // 20 now, 0 before: rising
    await events('organic', 'specialization', [0, 1], 5); // 10 now, 0 before: rising, smaller
    await events('organic', 'specialization', [14, 20], 50); // older than both windows: ignored
    const rising = await trends.rising(['specialization'], NOW);
    expect(rising).toEqual([
      { kind: 'specialization', subject: 'kosher', count: 20, previousCount: 0, growth: 5 },
      { kind: 'specialization', subject: 'organic', count: 10, previousCount: 0, growth: 3 },
      { kind: 'specialization', subject: 'haccp', count: 20, previousCount: 20, growth: 1 },
    ]);
  });

  it('never shows a subject seen fewer than 5 times or on a single day', async () => {
    await events('fsvp importer audit', 'search', [0, 1, 2, 3]); // 4 times: too rare
    await events('my plant in 2 weeks', 'search', [0], 9); // 9 times, one day: one person
    await events('seafood haccp', 'search', [0, 2], 3); // 6 times over 2 days: shown
    expect((await trends.rising(['search'], NOW)).map((trend) => trend.subject)).toEqual(['seafood haccp']);
  });

  it('keeps kinds apart and reads only the kinds asked for', async () => {
    await events('organic', 'search', [0, 1], 3);
    await events('organic', 'specialization', [0, 1], 4);
    await events('e1:s1', 'service', [0, 1], 5);
    expect((await trends.rising(['search', 'specialization'], NOW)).map((trend) => `${trend.kind} ${trend.count}`)).toEqual(['specialization 8', 'search 6']);
    expect(await trends.rising(['service'], NOW)).toEqual([expect.objectContaining({ subject: 'e1:s1', count: 10 })]);
  });

  it('records texts with characters ids cannot hold', async () => {
    await events('regulation 2018/848', 'search', [0, 1], 3);
    expect(await trends.rising(['search'], NOW)).toEqual([expect.objectContaining({ subject: 'regulation 2018/848', count: 6 })]);
  });

  it('records only short search texts without long digit runs', () => {
    expect(isRecordableSearch('fsma 204 traceability')).toBe(true);
    expect(isRecordableSearch('call me 0612345678')).toBe(false);
    expect(isRecordableSearch('we are a mid sized seafood exporter in peru looking for help')).toBe(false);
    expect(isRecordableSearch('a')).toBe(false);
  });
});
