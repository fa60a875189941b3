import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Document } from '../../shared/data/document-store';
import { expertProfiles, expertServices } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import type { ExpertService } from '../../shared/domain/experts/services';
import { expertProfile, expertService, openHostStore, seededDataDir } from '../helpers/expert-profiles';
import { waitFor, type RunningHost } from '../helpers/host-process';
import { api, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// Service search through the host over the services of 300 seeded public experts, checked
// against what the seed wrote into the host's store.

let host: RunningHost;
let client: Api;
let store: ReturnType<typeof openHostStore>;
let profiles: Container<ExpertProfile>;
let seeded: ExpertService[];
let experts: Map<string, ExpertProfile>;

async function all<T extends Document>(container: Container<T>): Promise<T[]> {
  const items: T[] = [];
  let continuation: string | undefined;
  do {
    const page = await container.query({ limit: 1000, continuation });
    items.push(...page.items);
    continuation = page.continuation ?? undefined;
  } while (continuation);
  return items;
}

beforeAll(async () => {
  host = await startIdentityHost({ SEARCH_DELETE_CHECK_SECONDS: '0' }, { dataDir: seededDataDir(300, 5) });
  client = api(host);
  store = openHostStore(host);
  profiles = await store.container<ExpertProfile>(expertProfiles);
  experts = new Map((await all(profiles)).map((profile) => [profile.id, profile]));
  seeded = (await all(await store.container<ExpertService>(expertServices))).filter((service) => service.published);
}, 120_000);
afterAll(async () => {
  await store?.close();
  await host?.stop();
});

const search = (query: string) => client.call('GET', `v1/search/services?${query}`);

/** The least a service costs, worked out here from the stored pricing. */
const leastPrice = (service: ExpertService) =>
  service.pricing.model === 'fixed' ? service.pricing.price : service.pricing.model === 'hourly' ? service.pricing.hourlyRate * service.pricing.estimatedHours : service.pricing.tiers[0]!.price;
const quickest = (service: ExpertService) => (service.pricing.model === 'packages' ? Math.min(...service.pricing.tiers.map((tier) => tier.deliveryDays)) : service.deliveryDays!);

/** Every page of a query, following nextCursor. */
async function everyPage(query: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const response: { status: number; body: any } = await search(`${query}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
  } while (cursor);
  return items;
}

describe('GET /api/v1/search/services', () => {
  it('lists every published service of the public experts, each with its expert, and facets over all of them', async () => {
    expect(seeded.length).toBeGreaterThan(300);
    const response = await search('limit=5');
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(seeded.length);
    for (const name of ['specializations', 'pricingModel', 'currency', 'country'] as const) {
      const sum = response.body.facets[name].reduce((total: number, facet: { count: number }) => total + facet.count, 0);
      if (name !== 'specializations') expect(sum, name).toBe(seeded.length);
    }
    // Every facet value's count is the number of matching services with that value.
    const facetValue = {
      specializations: (service: ExpertService) => service.specializationId,
      pricingModel: (service: ExpertService) => service.pricing.model,
      currency: (service: ExpertService) => service.currency,
      country: (service: ExpertService) => experts.get(service.expertId)!.country,
    };
    for (const [name, value] of Object.entries(facetValue)) {
      const facets: { value: string; count: number }[] = response.body.facets[name];
      expect(facets.length, name).toBeGreaterThan(1);
      for (const facet of facets) expect(facet.count, `${name}=${facet.value}`).toBe(seeded.filter((service) => value(service) === facet.value).length);
    }
    // Facets follow the filters: with a currency, only that currency is counted.
    const euro = await search('currency=EUR&limit=1');
    expect(euro.body.facets.currency).toEqual([{ value: 'EUR', count: euro.body.total }]);
    const item = response.body.items[0];
    const stored = seeded.find((service) => service.id === item.id)!;
    const expert = experts.get(stored.expertId)!;
    expect(item).toMatchObject({
      title: stored.title,
      description: stored.description,
      specializationId: stored.specializationId,
      pricing: stored.pricing,
      currency: stored.currency,
      fromPrice: leastPrice(stored),
      deliveryDays: quickest(stored),
    });
    expect(item.expert).toEqual({ id: expert.id, name: expert.name, country: expert.country, rating: expert.rating });
  });

  it('finds services by words in the title and by a specialization acronym', async () => {
    const mock = await everyPage('q=mock%20audit');
    expect(mock.length).toBe(seeded.filter((service) => /mock audit/i.test(`${service.title} ${service.description}`)).length);
    for (const item of mock) expect(`${item.title} ${item.description}`).toMatch(/mock/i);
    const scores = mock.map((item) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // "FSVP" names the fsvp specialization: every service in it is found, and they rank first.
    const fsvp = await everyPage('q=FSVP');
    const inFsvp = seeded.filter((service) => service.specializationId === 'fsvp').length;
    expect(inFsvp).toBeGreaterThan(0);
    expect(fsvp.slice(0, inFsvp).every((item) => item.specializationId === 'fsvp')).toBe(true);
  });

  it('filters by specialization (a parent finds its children; all = every one given)', async () => {
    const organic = await everyPage('specializations=organic');
    expect(organic.length).toBe(seeded.filter((service) => ['organic', 'usda-organic', 'eu-organic'].includes(service.specializationId)).length);
    expect(new Set(organic.map((item) => item.specializationId))).toEqual(new Set(['usda-organic', 'eu-organic']));
    const both = await everyPage('specializations=organic,eu-organic&specializationsMode=all');
    expect(both.length).toBe(seeded.filter((service) => service.specializationId === 'eu-organic').length);
    expect(both.every((item) => item.specializationId === 'eu-organic')).toBe(true);
    const none = await search('specializations=usda-organic,eu-organic&specializationsMode=all');
    expect(none.body.total).toBe(0);
  });

  it('filters by pricing model, price within a currency and delivery time', async () => {
    const models = await everyPage('pricingModel=hourly,fixed');
    expect(models.length).toBe(seeded.filter((service) => service.pricing.model !== 'packages').length);
    expect(models.every((item) => item.pricing.model !== 'packages')).toBe(true);

    const priced = await everyPage('currency=EUR&minPrice=1000&maxPrice=3000');
    const expected = seeded.filter((service) => service.currency === 'EUR' && leastPrice(service) >= 1000 && leastPrice(service) <= 3000);
    expect(expected.length).toBeGreaterThan(0);
    expect(priced.map((item) => item.id).sort()).toEqual(expected.map((service) => service.id).sort());

    const fast = await everyPage('maxDeliveryDays=7');
    expect(fast.map((item) => item.id).sort()).toEqual(
      seeded
        .filter((service) => quickest(service) <= 7)
        .map((service) => service.id)
        .sort(),
    );
  });

  it("filters by the expert's country, languages and rating", async () => {
    const wanted = (service: ExpertService) => {
      const expert = experts.get(service.expertId)!;
      return expert.country === 'DE';
    };
    const germany = await everyPage('country=DE');
    expect(germany.map((item) => item.id).sort()).toEqual(
      seeded
        .filter(wanted)
        .map((service) => service.id)
        .sort(),
    );

    const spanish = await everyPage('languages=es');
    expect(spanish.map((item) => item.id).sort()).toEqual(
      seeded
        .filter((service) => experts.get(service.expertId)!.languages.includes('es'))
        .map((service) => service.id)
        .sort(),
    );

    const rated = await everyPage('minRating=4.5');
    const good = seeded.filter((service) => {
      const { average, count } = experts.get(service.expertId)!.rating;
      return count > 0 && average >= 4.5;
    });
    expect(good.length).toBeGreaterThan(0);
    expect(rated.map((item) => item.id).sort()).toEqual(good.map((service) => service.id).sort());
    for (const item of rated) expect(item.expert.rating.average).toBeGreaterThanOrEqual(4.5);
  });

  it('sorts by price both ways, by delivery and by rating, and pages every sort without repeats', async () => {
    const usd = seeded.filter((service) => service.currency === 'USD').length;
    const cheapest = await everyPage('currency=USD&sort=price');
    expect(cheapest).toHaveLength(usd);
    expect(new Set(cheapest.map((item) => item.id)).size).toBe(usd);
    const prices = cheapest.map((item) => item.fromPrice);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const dearest = (await everyPage('currency=USD&sort=price_desc')).map((item) => item.fromPrice);
    expect(dearest).toEqual([...prices].sort((a, b) => b - a));

    const delivery = await everyPage('sort=delivery');
    expect(delivery).toHaveLength(seeded.length);
    const days = delivery.map((item) => item.deliveryDays);
    expect(days).toEqual([...days].sort((a, b) => a - b));

    // By rating: pulled toward the marketplace prior (4.2 over 8 reviews) so one 5-star review does not top the list.
    const rating = (await everyPage('sort=rating&specializations=haccp')).map((item) => (4.2 * 8 + item.expert.rating.average * item.expert.rating.count) / (8 + item.expert.rating.count));
    expect(rating.length).toBeGreaterThan(1);
    for (let at = 1; at < rating.length; at++) expect(rating[at]).toBeLessThanOrEqual(rating[at - 1]! + 1e-9);
  });

  it('names what is wrong with a bad query (400 problem+json), and refuses a cursor from another query', async () => {
    const cases: [string, RegExp][] = [
      ['sort=price', /currency/],
      ['minPrice=100', /currency/],
      ['currency=USD&minPrice=500&maxPrice=100', /maxPrice/],
      ['pricingModel=auction', /pricingModel/],
      ['specializations=astrology', /specializations/],
      ['maxDeliveryDays=0', /maxDeliveryDays/],
      ['languages=xx', /languages/],
      ['country=ZZ', /country/],
      ['minRating=9', /minRating/],
      ['sort=cheapest', /sort/],
      ['limit=500', /limit/],
      ['cursor=not*a*cursor', /cursor/],
    ];
    for (const [query, field] of cases) {
      const response = await search(query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(JSON.stringify(response.body.errors), query).toMatch(field);
    }
    const first = await search('currency=USD&sort=price&limit=5');
    const reused = await search(`currency=EUR&sort=price&limit=5&cursor=${first.body.nextCursor}`);
    expect(reused.status).toBe(400);
    expect(JSON.stringify(reused.body.errors)).toMatch(/cursor/);
  });

  it('suggests a seeded service title as it is typed, and with one typo', async () => {
    const service = seeded.find((entry) => / gap assessment$/.test(entry.title))!;
    const typed = service.title.slice(0, service.title.indexOf(' gap') + ' gap asse'.length);
    // One letter missing from a whole word ("managment").
    const word = typed
      .split(' ')
      .filter((entry) => /^[A-Za-z]{6,}$/.test(entry))
      .sort((a, b) => b.length - a.length)[0]!;
    const typo = typed.replace(word, word.slice(0, 3) + word.slice(4));
    for (const q of [typed, typo]) {
      const response = await client.call('GET', `v1/search/autocomplete?q=${encodeURIComponent(q)}&limit=20`);
      expect(response.status).toBe(200);
      expect(
        response.body.items.filter((item: { kind: string }) => item.kind === 'service').map((item: { label: string }) => item.label),
        q,
      ).toContain(service.title);
    }
  });

  it('never shows an unpublished service, nor any service of an expert who is not public, and follows deletes', async () => {
    const expert = await registerUser(client, 'expert');
    const body = {
      title: 'Zanzibar clove allergen labelling review',
      description: 'A review of allergen labels for spice blends with Zanzibar cloves.',
      specializationId: 'haccp',
      pricing: { model: 'fixed', price: 700 },
      currency: 'USD',
      deliveryDays: 4,
      deliverables: ['Marked-up labels'],
      published: true,
    };
    const shown = (await client.call('POST', 'v1/experts/services', { token: expert.accessToken, body })).body;
    await client.call('POST', 'v1/experts/services', { token: expert.accessToken, body: { ...body, title: 'Zanzibar clove draft offer', published: false } });
    const zanzibar = async () => (await search('q=zanzibar')).body;
    const suggested = async () => (await client.call('GET', 'v1/search/autocomplete?q=zanzibar%20clo')).body.items.filter((item: { kind: string }) => item.kind === 'service');

    // Published and verified are both needed; the services wait hidden meanwhile. A public expert's
    // service written after them shows when the index has read past them (the feeds keep order).
    await profiles.create(expertProfile(expert.user.id, { name: 'Zuri Mwinyi', published: true, verification: { status: 'unverified' } }));
    const later = expertProfile('expert-written-later', { verification: { status: 'verified', requestId: 'r0', verifiedAt: new Date().toISOString() } });
    await profiles.create(later);
    await (await store.container<ExpertService>(expertServices)).create(expertService('service-written-later', later.id, { title: 'Kilimanjaro coffee roastery audit' }));
    await waitFor(async () => ((await search('q=kilimanjaro')).body.total === 1 ? true : undefined), 10_000, 'the later service to be found');
    expect((await zanzibar()).total).toBe(0);
    expect(await suggested()).toEqual([]);

    await profiles.patch(expert.user.id, expert.user.id, [{ op: 'set', path: 'verification', value: { status: 'verified', requestId: 'r1', verifiedAt: new Date().toISOString() } }]);
    const found = await waitFor(async () => ((await zanzibar()).total > 0 ? await zanzibar() : undefined), 10_000, 'the service to be found');
    expect(found.items.map((item: { id: string }) => item.id)).toEqual([shown.id]);
    expect(found.items[0].expert).toMatchObject({ id: expert.user.id, name: 'Zuri Mwinyi' });
    expect((await suggested()).map((item: { id: string }) => item.id)).toEqual([shown.id]);

    // The expert hides their profile: their services leave search and suggestions with it.
    await profiles.patch(expert.user.id, expert.user.id, [{ op: 'set', path: 'published', value: false }]);
    await waitFor(async () => ((await zanzibar()).total === 0 ? true : undefined), 10_000, 'the service to disappear');
    expect(await suggested()).toEqual([]);

    // Back in public, then the service is deleted: it goes too, although the change feed carries no deletes.
    await profiles.patch(expert.user.id, expert.user.id, [{ op: 'set', path: 'published', value: true }]);
    await waitFor(async () => ((await zanzibar()).total === 1 ? true : undefined), 10_000, 'the service to return');
    const etag = (await client.call('GET', `v1/experts/services/${shown.id}`, { token: expert.accessToken })).headers.get('etag')!;
    expect((await client.call('DELETE', `v1/experts/services/${shown.id}`, { token: expert.accessToken, headers: { 'if-match': etag } })).status).toBe(204);
    await waitFor(async () => ((await zanzibar()).total === 0 ? true : undefined), 10_000, 'the deleted service to disappear');
    expect(await suggested()).toEqual([]);
  });
});
