import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, type RunningHost } from '../helpers/host-process';
import { api, startIdentityHost, type Api } from '../helpers/identity';

// Search through the host over 600 seeded public experts (the seed script writes into the host's store).
let host: RunningHost;
let client: Api;

beforeAll(async () => {
  host = await startIdentityHost();
  client = api(host);
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts/seed.mjs'), '--experts', '600', '--seed', '3', '--data-dir', host.dataDir], { cwd: projectRoot, stdio: 'pipe' });
}, 60_000);
afterAll(async () => {
  await host?.stop();
});

const search = async (query: string) => {
  const response = await client.call('GET', `v1/search/experts?${query}`);
  return response;
};

describe('GET /api/v1/search/experts', () => {
  it('finds experts by words and acronyms, with facets over all matches', async () => {
    const response = await search('q=FSVP%20importer&limit=5');
    expect(response.status).toBe(200);
    expect(response.body.total).toBeGreaterThan(5);
    expect(response.body.items).toHaveLength(5);
    for (const item of response.body.items) expect(item.specializations.some((id: string) => ['fsvp', 'fsma-preventive-controls', 'produce-safety', 'food-traceability', 'trade-compliance'].includes(id)) || item.certifications.includes('fsvp-qi')).toBe(true);
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

  it('names what is wrong with a bad query', async () => {
    const cases: [string, RegExp][] = [
      ['specializations=astrology', /specializations/],
      ['sort=rate', /currency/],
      ['minRate=10', /currency/],
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
