import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/sqlite/sqlite-document-store';
import { type ExpertDay, ExpertAnalytics } from '../../../../../shared/domain/experts/analytics';
import { expertAnalytics } from '../../../../../shared/domain/experts/containers';

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
