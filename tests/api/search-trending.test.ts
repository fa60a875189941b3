import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { searchTrends } from '../../shared/domain/search/containers';
import { SearchTrends, type TrendCounter } from '../../shared/domain/search/search-trends';
import { expertProfile, openHostStore, seededDataDir } from '../helpers/expert-profiles';
import type { RunningHost } from '../helpers/host-process';
import { api, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// Trending through the host: today's events come from real searches and service lists; the days
// before are written into the host's store directly, as the host has no clock to move.
let host: RunningHost;
let client: Api;
let store: ReturnType<typeof openHostStore>;
let history: SearchTrends;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

beforeAll(async () => {
  // Experts to find, so a search has later pages.
  host = await startIdentityHost({ ANALYTICS_FLUSH_SECONDS: '0' }, { dataDir: seededDataDir(80, 5) });
  client = api(host);
  store = openHostStore(host);
  history = new SearchTrends(await store.container<TrendCounter>(searchTrends));
});
afterAll(async () => {
  await store?.close();
  await host?.stop();
});

const trendingNow = async (query: string) => {
  const response = await client.call('GET', `v1/search/trending?${query}`);
  expect(response.status).toBe(200);
  return response;
};

describe('GET /api/v1/search/trending', () => {
  it('ranks what searches ask for more this week than last, and never shows rare searches', async () => {
    await history.record('seafood haccp', 'search', daysAgo(1), 4);
    await history.record('kosher', 'specialization', daysAgo(2), 3);
    await history.record('organic', 'specialization', daysAgo(1), 5);
    await history.record('organic', 'specialization', daysAgo(2), 5);
    await history.record('organic', 'specialization', daysAgo(9), 20);
    // A search counts once, however many of its pages are read.
    const firstPage = await client.call('GET', 'v1/search/experts?q=Seafood%20HACCP&limit=1');
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
    for (let i = 0; i < 3; i++) expect((await client.call('GET', `v1/search/experts?q=Seafood%20HACCP&limit=1&cursor=${firstPage.body.nextCursor}`)).status).toBe(200);
    for (const query of [
      'q=seafood%20%20haccp!',
      'specializations=kosher',
      'specializations=kosher&languages=es',
      'specializations=kosher',
      'q=private%20plant%20audit',
      'q=private%20plant%20audit',
    ]) {
      expect((await client.call('GET', `v1/search/experts?${query}`)).status).toBe(200);
    }
    const searches = await trendingNow('kind=searches');
    expect(searches.headers.get('cache-control')).toBe('public, max-age=300');
    expect(searches.body.items).toEqual([{ kind: 'search', id: 'seafood haccp', label: 'seafood haccp', count: 6, previousCount: 0, growth: 2.2 }]);

    const specializations = (await trendingNow('kind=specializations')).body.items;
    expect(specializations.map((item: { id: string }) => item.id)).toEqual(['kosher', 'organic']);
    expect(specializations[0]).toEqual({ kind: 'specialization', id: 'kosher', label: expect.stringMatching(/kosher/i), count: 6, previousCount: 0, growth: 2.2 });
    expect(specializations[1]).toMatchObject({ count: 10, previousCount: 20, growth: 0.6 });
  });

  it('counts services shown on expert pages, and only published services of public experts', async () => {
    const expert = await registerUser(client, 'expert');
    const profiles = await store.container<ExpertProfile>(expertProfiles);
    await profiles.create(expertProfile(expert.user.id, { verification: { status: 'verified', requestId: 'r1', verifiedAt: new Date().toISOString() } } as Partial<ExpertProfile>));
    const service = {
      title: 'Seafood HACCP plan review',
      description: 'A review of your seafood HACCP plan against 21 CFR 123.',
      specializationId: 'haccp',
      pricing: { model: 'fixed', price: 900 },
      currency: 'USD',
      deliveryDays: 7,
      deliverables: ['Written review'],
    };
    const shown = await client.call('POST', 'v1/experts/services', { token: expert.accessToken, body: { ...service, published: true } });
    const draft = await client.call('POST', 'v1/experts/services', { token: expert.accessToken, body: { ...service, title: 'Draft service, not yet offered' } });
    expect([shown.status, draft.status]).toEqual([201, 201]);
    await history.record(`${expert.user.id}:${shown.body.id}`, 'service', daysAgo(3), 2);
    await history.record(`${expert.user.id}:${draft.body.id}`, 'service', daysAgo(3), 20);
    await history.record(`${expert.user.id}:${draft.body.id}`, 'service', daysAgo(0), 20);
    for (let i = 0; i < 3; i++) expect((await client.call('GET', `v1/experts/${expert.user.id}/services`)).body.items).toHaveLength(1);

    const services = (await trendingNow('kind=services')).body.items;
    expect(services).toEqual([{ kind: 'service', id: shown.body.id, label: 'Seafood HACCP plan review', expertId: expert.user.id, count: 5, previousCount: 0, growth: 2 }]);
    // "all" mixes the kinds, fastest first (equal growth and count: by name), and honours the limit.
    const all = (await trendingNow('limit=3')).body.items;
    expect(all.map((item: { kind: string; id: string }) => `${item.kind} ${item.id}`)).toEqual(['specialization kosher', 'search seafood haccp', `service ${shown.body.id}`]);
  });

  it('names what is wrong with a bad query', async () => {
    for (const [query, field] of [
      ['kind=experts', 'kind'],
      ['limit=0', 'limit'],
      ['limit=51', 'limit'],
    ]) {
      const response = await client.call('GET', `v1/search/trending?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(response.body)).toContain(`query.${field}`);
    }
  });
});
