import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../shared/data/document-store';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { openHostStore, seededDataDir } from '../helpers/expert-profiles';
import type { RunningHost } from '../helpers/host-process';
import { api, startIdentityHost, type Api } from '../helpers/identity';

// Reviews through the host, over 30 seeded experts whose reviews the seed wrote.

let host: RunningHost;
let client: Api;
let store: ReturnType<typeof openHostStore>;
let profiles: Container<ExpertProfile>;

beforeAll(async () => {
  host = await startIdentityHost({}, { dataDir: seededDataDir(30, 9) });
  client = api(host);
  store = openHostStore(host);
  profiles = await store.container<ExpertProfile>(expertProfiles);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await host?.stop();
});

const reviewsOf = (expertId: string, query = '') => client.call('GET', `v1/experts/${expertId}/reviews${query}`);

async function everyReview(expertId: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const response: { status: number; body: any } = await reviewsOf(expertId, `?limit=25${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
  } while (cursor);
  return items;
}

describe('GET /api/v1/experts/{expertId}/reviews', () => {
  it("pages an expert's reviews newest first; their count and average are the profile's rating", async () => {
    const seeded = (await profiles.query({ limit: 100 })).items;
    const reviewed = seeded.filter((profile) => profile.rating.count > 25);
    expect(reviewed.length).toBeGreaterThan(3);
    for (const profile of reviewed.slice(0, 4)) {
      const reviews = await everyReview(profile.id);
      expect(reviews).toHaveLength(profile.rating.count);
      expect(new Set(reviews.map((review) => review.id)).size).toBe(reviews.length);
      const average = reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length;
      expect(Math.round(average * 100) / 100).toBe(profile.rating.average);
      const dates = reviews.map((review) => review.createdAt);
      expect(dates).toEqual([...dates].sort().reverse());
      for (const review of reviews) {
        expect(review).toMatchObject({ expertId: profile.id, rating: expect.any(Number), title: expect.any(String), text: expect.any(String) });
        expect([1, 2, 3, 4, 5]).toContain(review.rating);
        expect(review.clientName).toMatch(/^\S.* [\p{Lu}\p{Lt}\p{Lo}]\.$/u);
        expect(review._etag).toBeUndefined();
      }
    }
  });

  it('answers an empty list for a public expert nobody reviewed yet', async () => {
    const [seeded] = (await profiles.query({ limit: 1 })).items;
    const { _etag, _ts, ...profile } = seeded!;
    await profiles.create({ ...profile, id: 'seed-expert-unreviewed', rating: { average: 0, count: 0 } });
    const response = await reviewsOf('seed-expert-unreviewed');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });

  it('is 404 for an expert who is not public or does not exist, 400 for a malformed id or page', async () => {
    const [first] = (await profiles.query({ limit: 1 })).items;
    expect((await reviewsOf(first!.id)).status).toBe(200);
    await profiles.patch(first!.id, first!.id, [{ op: 'set', path: 'published', value: false }]);
    const hidden = await reviewsOf(first!.id);
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await reviewsOf('seed-expert-999999')).status).toBe(404);
    const malformed = await reviewsOf('not%20an%20id');
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.errors)).toMatch(/expertId/);
    const [second] = (await profiles.query({ limit: 2 })).items.slice(1);
    const badPage = await reviewsOf(second!.id, '?limit=0');
    expect(badPage.status).toBe(400);
    expect(JSON.stringify(badPage.body.errors)).toMatch(/limit/);
  });
});
