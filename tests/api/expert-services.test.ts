import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../shared/data/document-store';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { expertProfile, openHostStore } from '../helpers/expert-profiles';
import type { RunningHost } from '../helpers/host-process';
import { api, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// Services through the local host over HTTP: pricing models, validation, the expert role and
// ownership on every route, ETags, the idempotency key, the cap, and the public list.

let host: RunningHost;
let client: Api;
let store: ReturnType<typeof openHostStore>;
let profiles: Container<ExpertProfile>;

beforeAll(async () => {
  host = await startIdentityHost();
  client = api(host);
  store = openHostStore(host);
  profiles = await store.container<ExpertProfile>(expertProfiles);
});
afterAll(async () => {
  await store?.close();
  await host?.stop();
});

const fixed = {
  title: 'FSMA preventive controls gap assessment',
  description: 'A review of your food safety plan against 21 CFR 117, with a written gap report.',
  specializationId: 'fsma-preventive-controls',
  pricing: { model: 'fixed', price: 1800 },
  currency: 'USD',
  deliveryDays: 10,
  deliverables: ['Gap report (PDF)', 'One-hour review call'],
};
const hourly = { ...fixed, title: 'HACCP coaching by the hour', specializationId: 'haccp', pricing: { model: 'hourly', hourlyRate: 120, estimatedHours: 6.5 } };
const packaged = {
  title: 'Kosher certification readiness',
  description: 'Preparation for a kosher agency audit, from ingredient review to plant walk-through.',
  specializationId: 'kosher',
  currency: 'EUR',
  published: true,
  pricing: {
    model: 'packages',
    tiers: [
      { name: 'basic', price: 400, deliveryDays: 5, deliverables: ['Ingredient review'] },
      { name: 'standard', price: 900, deliveryDays: 10, deliverables: ['Ingredient review', 'Procedures'] },
      { name: 'premium', price: 1500.5, deliveryDays: 20, deliverables: ['Ingredient review', 'Procedures', 'Mock audit'] },
    ],
  },
};

const create = (token: string, body: unknown, headers: Record<string, string> = {}) => client.call('POST', 'v1/experts/services', { token, body, headers });

describe('expert services', () => {
  it('lets an expert offer fixed, hourly and packaged services and read them back with ETags', async () => {
    const expert = await registerUser(client, 'expert');
    const created = [];
    for (const body of [fixed, hourly, packaged]) {
      const response = await create(expert.accessToken, body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.headers.get('etag')).toMatch(/^"[^"]+"$/);
      expect(response.body).toMatchObject({ ...body, expertId: expert.user.id, published: body === packaged });
      expect(response.body._etag).toBeUndefined();
      created.push(response.body);
    }
    const one = await client.call('GET', `v1/experts/services/${created[1].id}`, { token: expert.accessToken });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created[1]);

    const list = await client.call('GET', 'v1/experts/services?limit=2', { token: expert.accessToken });
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([created[2].id, created[1].id]);
    const rest = await client.call('GET', `v1/experts/services?limit=2&cursor=${list.body.nextCursor}`, { token: expert.accessToken });
    expect(rest.body).toEqual({ items: [created[0]], nextCursor: null });
  });

  it('refuses bad input with 400 problem+json naming each field', async () => {
    const expert = await registerUser(client, 'expert');
    const cases: [unknown, string[]][] = [
      [{ ...fixed, currency: 'XYZ', description: 'Short <b>bold</b> text that is long enough', specializationId: 'astrology' }, ['body.currency', 'body.description', 'body.specializationId']],
      [{ ...fixed, deliverables: undefined, pricing: { model: 'fixed', price: -5 } }, ['body.pricing.price', 'body.deliverables']],
      [{ ...packaged, deliveryDays: 5 }, ['body.deliveryDays']],
      [{ ...packaged, pricing: { model: 'packages', tiers: [{ ...packaged.pricing.tiers[1], price: 100 }, packaged.pricing.tiers[0]] } }, ['body.pricing.tiers']],
      [{ ...packaged, pricing: { model: 'packages', tiers: [{ ...packaged.pricing.tiers[0], price: 1000 }, packaged.pricing.tiers[1]] } }, ['body.pricing.tiers']],
      [{ ...fixed, pricing: { model: 'auction', price: 5 } }, ['body.pricing.model']],
      [{ ...fixed, pricing: { model: 'hourly', hourlyRate: 100 } }, ['body.pricing.estimatedHours']],
      [{ ...fixed, expertId: 'someone-else', rating: 5 }, ['body.expertId', 'body.rating']],
    ];
    for (const [body, fields] of cases) {
      const response = await create(expert.accessToken, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field).sort(), JSON.stringify(response.body.errors)).toEqual([...fields].sort());
    }
    expect((await client.call('GET', 'v1/experts/services', { token: expert.accessToken })).body.items).toEqual([]);
    expect((await client.call('GET', 'v1/experts/services/not-an-id', { token: expert.accessToken })).status).toBe(400);
  });

  it('is for experts only, and each expert changes only their own services (403), missing ones are 404', async () => {
    const owner = await registerUser(client, 'expert');
    const other = await registerUser(client, 'expert');
    const buyer = await registerUser(client, 'client');
    const service = (await create(owner.accessToken, fixed)).body;
    const etag = (await client.call('GET', `v1/experts/services/${service.id}`, { token: owner.accessToken })).headers.get('etag')!;

    expect((await create(buyer.accessToken, fixed)).status).toBe(403);
    expect((await client.call('GET', 'v1/experts/services', { token: buyer.accessToken })).status).toBe(403);
    expect((await client.call('GET', 'v1/experts/services')).status).toBe(401);
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', hourly],
      ['DELETE', undefined],
    ] as const) {
      const route = `v1/experts/services/${service.id}`;
      const foreign = await client.call(method, route, { token: other.accessToken, body, headers: { 'if-match': etag } });
      expect(foreign.status, `${method} as another expert`).toBe(403);
      expect(foreign.body.detail).toBe('This service belongs to another expert.');
      expect((await client.call(method, route, { token: buyer.accessToken, body, headers: { 'if-match': etag } })).status).toBe(403);
      expect((await client.call(method, `v1/experts/services/${crypto.randomUUID()}`, { token: owner.accessToken, body, headers: { 'if-match': etag } })).status).toBe(404);
    }
    // The owner's service is untouched, and another expert's own list does not show it.
    expect((await client.call('GET', `v1/experts/services/${service.id}`, { token: owner.accessToken })).body).toEqual(service);
    expect((await client.call('GET', 'v1/experts/services', { token: other.accessToken })).body.items).toEqual([]);
  });

  it('needs If-Match to replace or delete: 428 without, 412 when stale', async () => {
    const expert = await registerUser(client, 'expert');
    const created = await create(expert.accessToken, fixed);
    const route = `v1/experts/services/${created.body.id}`;
    const first = created.headers.get('etag')!;

    expect((await client.call('PUT', route, { token: expert.accessToken, body: hourly })).status).toBe(428);
    expect((await client.call('DELETE', route, { token: expert.accessToken })).status).toBe(428);
    const replaced = await client.call('PUT', route, { token: expert.accessToken, body: { ...hourly, published: true }, headers: { 'if-match': first } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: created.body.id, createdAt: created.body.createdAt, pricing: hourly.pricing, published: true });
    expect(replaced.headers.get('etag')).not.toBe(first);

    const stale = await client.call('PUT', route, { token: expert.accessToken, body: fixed, headers: { 'if-match': first } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(replaced.headers.get('etag'));
    expect((await client.call('DELETE', route, { token: expert.accessToken, headers: { 'if-match': first } })).status).toBe(412);
    expect((await client.call('DELETE', route, { token: expert.accessToken, headers: { 'if-match': replaced.headers.get('etag')! } })).status).toBe(204);
    expect((await client.call('GET', route, { token: expert.accessToken })).status).toBe(404);
  });

  it('creates one service for a retried POST with the same Idempotency-Key', async () => {
    const expert = await registerUser(client, 'expert');
    const key = { 'idempotency-key': 'create-gap-assessment-1' };
    const first = await create(expert.accessToken, fixed, key);
    const retry = await create(expert.accessToken, fixed, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect((await create(expert.accessToken, hourly, key)).status).toBe(422);
    expect((await client.call('GET', 'v1/experts/services', { token: expert.accessToken })).body.items).toHaveLength(1);
  });

  it('caps an expert at 50 services (409), and deleting one makes room', async () => {
    const expert = await registerUser(client, 'expert');
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await create(expert.accessToken, { ...fixed, title: `Gap assessment no. ${i}` })).body.id);
    const over = await create(expert.accessToken, fixed);
    expect(over.status).toBe(409);
    expect(over.body.detail).toMatch(/50 services/);
    const etag = (await client.call('GET', `v1/experts/services/${ids[0]}`, { token: expert.accessToken })).headers.get('etag')!;
    await client.call('DELETE', `v1/experts/services/${ids[0]}`, { token: expert.accessToken, headers: { 'if-match': etag } });
    expect((await create(expert.accessToken, fixed)).status).toBe(201);
  });

  it("shows anyone an expert's published services, only while the profile is public", async () => {
    const expert = await registerUser(client, 'expert');
    const published = (await create(expert.accessToken, packaged)).body;
    await create(expert.accessToken, fixed); // a draft
    const route = `v1/experts/${expert.user.id}/services`;

    // No profile yet, then a published but unverified one: nothing to show.
    expect((await client.call('GET', route)).body).toEqual({ items: [], nextCursor: null });
    await profiles.create(expertProfile(expert.user.id, { published: true, verification: { status: 'unverified' } }));
    expect((await client.call('GET', route)).body.items).toEqual([]);

    await profiles.patch(expert.user.id, expert.user.id, [{ op: 'set', path: 'verification', value: { status: 'verified', requestId: 'r1', verifiedAt: new Date().toISOString() } }]);
    const visible = await client.call('GET', route);
    expect(visible.status).toBe(200);
    expect(visible.body).toEqual({ items: [published], nextCursor: null });

    await profiles.patch(expert.user.id, expert.user.id, [{ op: 'set', path: 'published', value: false }]);
    expect((await client.call('GET', route)).body.items).toEqual([]);
    expect((await client.call('GET', 'v1/experts/not-a-uuid/services')).status).toBe(400);
  });
});
