import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpertAnalytics, type ExpertDay, utcDay } from '../../shared/domain/experts/analytics';
import { expertAnalytics } from '../../shared/domain/experts/containers';
import { openHostStore } from '../helpers/expert-profiles';
import type { RunningHost } from '../helpers/host-process';
import { api, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// The analytics endpoint through the host. Events are recorded into the host's own store with the
// same domain code the profile, search and matching endpoints call (they are not on this branch).

let host: RunningHost;
let client: Api;
let store: ReturnType<typeof openHostStore>;
let analytics: ExpertAnalytics;

beforeAll(async () => {
  host = await startIdentityHost();
  client = api(host);
  store = openHostStore(host);
  analytics = new ExpertAnalytics(await store.container<ExpertDay>(expertAnalytics));
});
afterAll(async () => {
  await store?.close();
  await host?.stop();
});

const get = (token: string | undefined, query = '') => client.call('GET', `v1/experts/analytics${query}`, { token });

describe('expert analytics', () => {
  it("answers the signed-in expert's own counts by day over the range, zeros included", async () => {
    const expert = await registerUser(client, 'expert');
    const other = await registerUser(client, 'expert');
    for (const [kind, at] of [
      ['profileView', '2026-10-01T08:00:00Z'],
      ['profileView', '2026-10-01T21:00:00Z'],
      ['searchAppearance', '2026-10-01T09:00:00Z'],
      ['suggestionAppearance', '2026-10-03T10:00:00Z'],
      ['contactRequest', '2026-10-03T11:00:00Z'],
      ['profileView', '2026-10-04T00:00:00Z'], // outside the range
    ] as const) {
      await analytics.record(expert.user.id, kind, new Date(at));
    }
    await analytics.record(other.user.id, 'profileView', new Date('2026-10-02T08:00:00Z'));

    const response = await get(expert.accessToken, '?from=2026-10-01&to=2026-10-03');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: '2026-10-01',
      to: '2026-10-03',
      totals: { profileViews: 2, searchAppearances: 1, suggestionAppearances: 1, contactRequests: 1 },
      days: [
        { date: '2026-10-01', profileViews: 2, searchAppearances: 1, suggestionAppearances: 0, contactRequests: 0 },
        { date: '2026-10-02', profileViews: 0, searchAppearances: 0, suggestionAppearances: 0, contactRequests: 0 },
        { date: '2026-10-03', profileViews: 0, searchAppearances: 0, suggestionAppearances: 1, contactRequests: 1 },
      ],
    });
    expect((await get(other.accessToken, '?from=2026-10-01&to=2026-10-03')).body.totals.profileViews).toBe(1);
  });

  it('defaults to the last 30 days up to today', async () => {
    const expert = await registerUser(client, 'expert');
    await analytics.record(expert.user.id, 'profileView', new Date());
    const response = await get(expert.accessToken);
    expect(response.body.to).toBe(utcDay(new Date()));
    expect(response.body.days).toHaveLength(30);
    expect(response.body.days.at(-1).profileViews).toBe(1);
  });

  it('refuses a bad range with 400 naming the field, and anyone but an expert', async () => {
    const expert = await registerUser(client, 'expert');
    for (const [query, field, message] of [
      ['?from=2026-10-05&to=2026-10-01', 'query.from', 'must not be after `to`'],
      ['?from=2025-01-01&to=2026-01-02', 'query.from', 'the range may span at most 366 days'],
      ['?from=2026-02-30', 'query.from', undefined],
      ['?to=yesterday', 'query.to', undefined],
    ] as const) {
      const response = await get(expert.accessToken, query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.errors[0].field).toBe(field);
      if (message) expect(response.body.errors[0].message).toBe(message);
    }
    expect((await get(expert.accessToken, '?from=2025-01-01&to=2026-01-01')).status).toBe(200); // 366 days
    expect((await get((await registerUser(client, 'client')).accessToken)).status).toBe(403);
    expect((await get(undefined)).status).toBe(401);
  });
});
