import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { bayesianRating } from '../../shared/domain/search/searchable-expert';
import { expertProfile, openHostStore, seededDataDir } from '../helpers/expert-profiles';
import { type RunningHost, waitFor } from '../helpers/host-process';
import { api, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// Search through the host over 600 seeded public experts (the seed script writes into the host's store).
let host: RunningHost;
let client: Api;

beforeAll(async () => {
  host = await startIdentityHost({}, { dataDir: seededDataDir(600, 3) });
  client = api(host);
}, 60_000);
afterAll(async () => {
  await host?.stop();
});

const search = async (query: string) => {
  const response = await client.call('GET', `v1/search/experts?${query}`);
  return response;
};

describe('GET /api/v1/search/experts', () => {
  it('builds the search indexes as the instance starts, before anyone searches', async () => {
    await waitFor(() => (/Search indexes built/.test(host.output()) ? true : undefined), 10_000, 'the start-up build');
  });

  it('finds experts by words and acronyms, with facets over all matches', async () => {
    const response = await search('q=FSVP%20importer&limit=5');
    expect(response.status).toBe(200);
    expect(response.body.total).toBeGreaterThan(5);
    expect(response.body.items).toHaveLength(5);
    for (const item of response.body.items)
      expect(
        item.specializations.some((id: string) => ['fsvp', 'fsma-preventive-controls', 'produce-safety', 'food-traceability', 'trade-compliance'].includes(id)) ||
          item.certifications.includes('fsvp-qi'),
      ).toBe(true);
    const countries = response.body.facets.country.reduce((sum: number, facet: { count: number }) => sum + facet.count, 0);
    expect(countries).toBe(response.body.total);
  });

  it('applies every filter together', async () => {
    const response = await search('specializations=organic&languages=es&currency=EUR&maxRate=150&minRating=3.5&limit=50');
    expect(response.status).toBe(200);
    expect(response.body.total).toBeGreaterThan(0);
    expect(response.body.total).toBeLessThan((await search('specializations=organic')).body.total);
    for (const item of response.body.items) {
      expect(item.languages).toContain('es');
      expect(item.rate.currency).toBe('EUR');
      expect(item.rate.amount).toBeLessThanOrEqual(150);
      expect(item.rating.average).toBeGreaterThanOrEqual(3.5);
      expect(item.specializations.some((id: string) => ['organic', 'usda-organic', 'eu-organic'].includes(id))).toBe(true);
    }
  });

  it('sorts by rate within a currency and pages with a cursor without repeats', async () => {
    const seen: string[] = [];
    const rates: number[] = [];
    let cursor: string | null = null;
    do {
      const response: { status: number; body: any } = await search(`currency=USD&sort=rate&limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      rates.push(...response.body.items.map((item: { rate: { amount: number } }) => item.rate.amount));
      cursor = response.body.nextCursor;
    } while (cursor);
    const total = (await search('currency=USD&limit=1')).body.total;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
  });

  it('filters by certification, industry, jurisdiction, country, rating, all specializations and availability', async () => {
    const all = (await search('limit=1')).body.total;
    const facetCount = (body: any, facet: string, value: string) => body.facets[facet].find((entry: { value: string }) => entry.value === value)?.count;
    for (const [filter, facet, value] of [
      ['certifications=pcqi', 'certifications', 'pcqi'],
      ['industries=dairy', 'industries', 'dairy'],
      ['jurisdictions=EU', 'jurisdictions', 'EU'],
      ['country=US', 'country', 'US'],
    ] as const) {
      const response = await search(`${filter}&limit=50`);
      expect(response.status, filter).toBe(200);
      expect(response.body.total, filter).toBeGreaterThan(0);
      expect(response.body.total, filter).toBeLessThan(all);
      // Every match carries the value: its own facet counts all of them.
      expect(facetCount(response.body, facet, value), filter).toBe(response.body.total);
    }
    for (const item of (await search('certifications=pcqi&limit=50')).body.items) expect(item.certifications).toContain('pcqi');
    for (const item of (await search('country=US&limit=50')).body.items) expect(item.country).toBe('US');
    for (const item of (await search('minRating=4.5&limit=50')).body.items) expect(item.rating.average).toBeGreaterThanOrEqual(4.5);
    const both = await search('specializations=kosher,halal&specializationsMode=all&limit=50');
    const either = await search('specializations=kosher,halal&limit=50');
    expect(both.body.total).toBeGreaterThan(0);
    expect(either.body.total).toBeGreaterThan(both.body.total);
    for (const item of both.body.items) expect(item.specializations).toEqual(expect.arrayContaining(['kosher', 'halal']));
    // Seeded experts work weekdays: a Saturday-and-Sunday range finds fewer than a whole week.
    const weekend = (await search('availableFrom=2027-01-02&availableTo=2027-01-03')).body.total;
    const week = (await search('availableFrom=2027-01-04&availableTo=2027-01-10')).body.total;
    expect(week).toBeGreaterThan(weekend);
    expect(week).toBeLessThanOrEqual(all);
  });

  it('sorts by relevance, rating with the prior, rate descending and responsiveness', async () => {
    const scores = (await search('q=allergen%20labelling&limit=30')).body.items.map((item: { score: number }) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const rated = (await search('sort=rating&limit=30')).body.items.map((item: { rating: { average: number; count: number } }) => bayesianRating(item.rating.average, item.rating.count));
    expect(rated).toEqual([...rated].sort((a, b) => b - a));
    const dear = (await search('currency=EUR&sort=rate_desc&limit=30')).body.items.map((item: { rate: { amount: number } }) => item.rate.amount);
    expect(dear).toEqual([...dear].sort((a, b) => b - a));
    const fastest = (await search('sort=responsiveness&limit=50')).body.items.map((item: { responseHours: number | null }) => item.responseHours ?? Infinity);
    expect(fastest).toEqual([...fastest].sort((a, b) => a - b));
    expect(fastest[0]).toBeLessThan(24);
  });

  it('counts each facet value as the filter on it would', async () => {
    const first = await search('q=organic&limit=1');
    const [top] = first.body.facets.languages;
    const filtered = await search(`q=organic&languages=${top.value}&limit=1`);
    expect(filtered.body.total).toBe(top.count);
  });

  it('pages a text query to the end by relevance without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const response: { status: number; body: any } = await search(`q=haccp&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      total = response.body.total;
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('shows only verified, published profiles, and catches up with changes within seconds', async () => {
    const store = openHostStore(host);
    try {
      const profiles = await store.container<ExpertProfile>(expertProfiles);
      const name = (id: string) => `Quillon ${id}`;
      await profiles.create(expertProfile('p-visible', { name: name('Visible'), verification: { status: 'verified' } }));
      await profiles.create(expertProfile('p-unverified', { name: name('Unverified') }));
      await profiles.create(expertProfile('p-draft', { name: name('Draft'), verification: { status: 'verified' }, published: false }));
      const found = () => search('q=quillon').then((response) => response.body.items.map((item: { id: string }) => item.id));
      expect(await waitFor(async () => ((await found()).length ? await found() : undefined), 10_000, 'the new profile in search')).toEqual(['p-visible']);
      const visible = (await profiles.read('p-visible', 'p-visible'))!;
      await profiles.replace({ ...visible, published: false });
      await waitFor(async () => ((await found()).length === 0 ? true : undefined), 10_000, 'the unpublished profile to leave search');
    } finally {
      await store.close();
    }
  });

  it('finds an expert by the words of their published services, and stops when the service is unpublished', async () => {
    const expert = await registerUser(client, 'expert');
    const store = openHostStore(host);
    try {
      const profiles = await store.container<ExpertProfile>(expertProfiles);
      await profiles.create(expertProfile(expert.user.id, { name: 'Imke Vossberg', verification: { status: 'verified' } }));
    } finally {
      await store.close();
    }
    const body = {
      title: 'Kvass fermentation shelf-life study',
      description: 'Challenge testing for a rye kvass line.',
      specializationId: 'haccp',
      pricing: { model: 'fixed', price: 1200 },
      currency: 'EUR',
      deliveryDays: 10,
      deliverables: ['Study report'],
      published: true,
    };
    const created = await client.call('POST', 'v1/experts/services', { token: expert.accessToken, body });
    expect(created.status).toBe(201);
    const found = async (q = 'kvass') => (await search(`q=${q}`)).body.items.map((item: { name: string }) => item.name);
    expect(await waitFor(async () => ((await found()).length ? await found() : undefined), 10_000, 'the expert found by their service')).toEqual(['Imke Vossberg']);
    // Every word must match, in the profile or the services: the name and a service's words together find them.
    expect(await found('vossberg%20kvass%20shelf%20life')).toEqual(['Imke Vossberg']);

    const etag = created.headers.get('etag')!;
    const unpublished = await client.call('PUT', `v1/experts/services/${created.body.id}`, { token: expert.accessToken, headers: { 'if-match': etag }, body: { ...body, published: false } });
    expect(unpublished.status).toBe(200);
    await waitFor(async () => ((await found()).length === 0 ? true : undefined), 10_000, 'the unpublished service to stop finding the expert');
    expect((await search('q=vossberg')).body.items.map((item: { name: string }) => item.name)).toEqual(['Imke Vossberg']);
  });

  it('names what is wrong with a bad query', async () => {
    const cases: [string, RegExp][] = [
      ['specializations=astrology', /specializations/],
      ['sort=rate', /currency/],
      ['minRate=10', /currency/],
      ['currency=USD&minRate=200&maxRate=100', /maxRate/],
      ['availableFrom=2026-12-01', /availableTo/],
      ['availableFrom=2026-12-01&availableTo=2027-06-01', /availableTo/],
      ['languages=xx', /languages/],
      ['country=ZZ', /country/],
      ['limit=500', /limit/],
    ];
    for (const [query, field] of cases) {
      const response = await search(query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(JSON.stringify(response.body), query).toMatch(field);
    }
    const first = await search('currency=USD&sort=rate&limit=5');
    const reused = await search(`currency=EUR&sort=rate&limit=5&cursor=${first.body.nextCursor}`);
    expect(reused.status).toBe(400);
  });
});
