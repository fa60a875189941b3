import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { expertServices } from '../../../../../shared/domain/experts/containers';
import type { ExpertService } from '../../../../../shared/domain/experts/services';
import { searchTrends } from '../../../../../shared/domain/search/containers';
import { SearchTrends, type TrendCounter } from '../../../../../shared/domain/search/search-trends';
import { TrendService } from '../../../../../shared/domain/search/trend-service';

const NOW = new Date('2026-12-07T04:30:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe('what is trending', () => {
  it("answers with the week it compares, as of the service's clock, and the public subjects rising in it", async () => {
    const store = SqliteDocumentStore.open(':memory:');
    const trends = new SearchTrends(await store.container<TrendCounter>(searchTrends));
    for (const day of [0, 1]) await trends.record('kosher', 'specialization', daysAgo(day), 10);
    for (const day of [0, 1]) await trends.record('retired-specialization', 'specialization', daysAgo(day), 50);
    for (const day of [9, 10]) await trends.record('organic', 'specialization', daysAgo(day), 10); // the week before: not rising now
    const service = new TrendService({ trends, services: await store.container<ExpertService>(expertServices), isProfilePublic: async () => true, flushMs: 0, now: () => NOW });
    expect(await service.trending(['specialization'], 10)).toEqual({
      window: { from: '2026-12-01', to: '2026-12-07', previousFrom: '2026-11-24', previousTo: '2026-11-30' },
      items: [{ kind: 'specialization', id: 'kosher', label: expect.stringMatching(/kosher/i), count: 20, previousCount: 0, growth: 5 }],
    });
  });
});
