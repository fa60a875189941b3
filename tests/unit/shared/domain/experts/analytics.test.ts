import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { ExpertAnalytics, type ExpertDay, resolveRange } from '../../../../../shared/domain/experts/analytics';
import { expertAnalytics } from '../../../../../shared/domain/experts/containers';

let analytics: ExpertAnalytics;

beforeEach(async () => {
  analytics = new ExpertAnalytics(await SqliteDocumentStore.open(':memory:').container<ExpertDay>(expertAnalytics));
});

describe('expert analytics counters', () => {
  it('loses no event when the first events of a day arrive together', async () => {
    const at = new Date('2026-11-25T08:00:00Z');
    await Promise.all(Array.from({ length: 25 }, (_, i) => analytics.record('u-1', i % 5 === 0 ? 'contactRequest' : 'profileView', at)));
    const { days, totals } = await analytics.series('u-1', '2026-11-25', '2026-11-25');
    expect(days).toEqual([{ date: '2026-11-25', profileViews: 20, searchAppearances: 0, suggestionAppearances: 0, contactRequests: 5 }]);
    expect(totals.profileViews).toBe(20);
  });

  it('counts by UTC day and fills the days without events with zeros', async () => {
    await analytics.record('u-1', 'searchAppearance', new Date('2026-11-23T23:59:59Z'));
    await analytics.record('u-1', 'searchAppearance', new Date('2026-11-24T00:00:00Z'));
    await analytics.record('u-1', 'suggestionAppearance', new Date('2026-11-26T12:00:00Z'));
    await analytics.record('u-2', 'profileView', new Date('2026-11-24T12:00:00Z'));
    const series = await analytics.series('u-1', '2026-11-23', '2026-11-26');
    expect(series.days.map((day) => [day.date, day.searchAppearances, day.suggestionAppearances, day.profileViews])).toEqual([
      ['2026-11-23', 1, 0, 0],
      ['2026-11-24', 1, 0, 0],
      ['2026-11-25', 0, 0, 0],
      ['2026-11-26', 0, 1, 0],
    ]);
    expect(series.totals).toEqual({ profileViews: 0, searchAppearances: 2, suggestionAppearances: 1, contactRequests: 0 });
  });

  it('defaults to the 30 days up to today', () => {
    expect(resolveRange({}, new Date('2026-03-01T10:00:00Z'))).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(resolveRange({ to: '2026-01-30' }, new Date('2026-03-01T10:00:00Z'))).toEqual({ from: '2026-01-01', to: '2026-01-30' });
  });
});

const now = new Date('2026-11-25T22:00:00Z');
const analyticsAt = async () => new ExpertAnalytics(await SqliteDocumentStore.open(':memory:').container<ExpertDay>(expertAnalytics), () => now);

describe('an analytics series for a range as asked', () => {
  it('defaults to the 30 days up to today (UTC)', async () => {
    const analytics = await analyticsAt();
    await analytics.record('u-1', 'profileView', now);
    const series = await analytics.seriesFor('u-1', {});
    expect({ from: series.from, to: series.to, days: series.days.length }).toEqual({ from: '2026-10-27', to: '2026-11-25', days: 30 });
    expect(series.totals.profileViews).toBe(1);
  });

  it('takes the 30 days up to the last day given, or the days given', async () => {
    const analytics = await analyticsAt();
    expect(await analytics.seriesFor('u-1', { to: '2026-11-10' })).toMatchObject({ from: '2026-10-12', to: '2026-11-10' });
    expect((await analytics.seriesFor('u-1', { from: '2026-11-20', to: '2026-11-22' })).days.map((day) => day.date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
  });
});
