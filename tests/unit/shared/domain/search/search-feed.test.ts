import { describe, expect, it, vi } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { expertProfiles, expertServices } from '../../../../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../../../../shared/domain/experts/records';
import type { ExpertService } from '../../../../../shared/domain/experts/services';
import { SearchFeed } from '../../../../../shared/domain/search/search-feed';
import { expertProfile, expertService } from '../../../../helpers/expert-profiles';

const service = (id: string, expertId: string, title: string, overrides: Partial<ExpertService> = {}) => expertService(id, expertId, { title, ...overrides });

const verified = { status: 'verified' as const };
const pcqi = (expiresOn: string) => ({ id: 'c1', certificationId: 'pcqi', name: 'Preventive Controls Qualified Individual', issuer: 'FSPCA', number: 'PCQI-1', expiresOn });

async function containers() {
  const store = SqliteDocumentStore.open(':memory:');
  return { profiles: await store.container<ExpertProfile>(expertProfiles), services: await store.container<ExpertService>(expertServices) };
}

describe('search feed', () => {
  it('follows the change feed: publishing, unpublishing and edits show in search on the next refresh', async () => {
    const { profiles, services } = await containers();
    const feed = new SearchFeed(profiles, services, { maxStalenessMs: 0 });
    await profiles.create(expertProfile('e1', { verification: verified, name: 'Ana Torres' }));
    await profiles.create(expertProfile('e2', { verification: { status: 'unverified' }, name: 'Ben Ortiz' }));
    expect((await feed.fresh()).experts.search({}).items.map(({ expert }) => expert.id)).toEqual(['e1']);
    const stored = (await profiles.read('e1', 'e1'))!;
    await profiles.replace({ ...stored, published: false });
    expect((await feed.fresh()).experts.size).toBe(0);
    expect(feed.autocomplete.suggest('Ana Tor').filter((item) => item.kind === 'expert')).toEqual([]);
  });

  it('stops counting a certification the day after it expires, though the profile never changed', async () => {
    const { profiles, services } = await containers();
    let today = '2026-11-30';
    const feed = new SearchFeed(profiles, services, { maxStalenessMs: 0, today: () => today });
    await profiles.create(expertProfile('e1', { verification: verified, certifications: [pcqi('2026-11-30')] }));
    await profiles.create(expertProfile('e2', { verification: verified, certifications: [pcqi('2027-06-30')] }));
    const holders = async () =>
      (await feed.fresh()).experts
        .search({ certifications: ['pcqi'] })
        .items.map(({ expert }) => expert.id)
        .sort();
    expect(await holders()).toEqual(['e1', 'e2']);
    today = '2026-12-01';
    expect(await holders()).toEqual(['e2']);
  });

  it("finds an expert by the words of their published services, and follows the services' edits, unpublishing and deletes", async () => {
    const { profiles, services } = await containers();
    const feed = new SearchFeed(profiles, services, { maxStalenessMs: 0 });
    await profiles.create(expertProfile('e1', { verification: verified, name: 'Ana Torres' }));
    await profiles.create(expertProfile('e2', { verification: verified, name: 'Ben Ortiz' }));
    await services.create(service('s1', 'e1', 'Kombucha fermentation validation'));
    await services.create(service('s2', 'e2', 'Sourdough starter audit', { published: false }));
    const found = async (q: string) => (await feed.fresh()).experts.search({ q }).items.map(({ expert }) => expert.id);
    expect(await found('kombucha')).toEqual(['e1']);
    // Words of the profile and of a service together match.
    expect(await found('ana kombucha')).toEqual(['e1']);
    // A draft service does not speak for its expert.
    expect(await found('sourdough')).toEqual([]);

    await services.upsert(service('s2', 'e2', 'Sourdough starter audit'));
    await services.upsert(service('s1', 'e1', 'Cold brew fermentation validation'));
    expect(await found('sourdough')).toEqual(['e2']);
    expect(await found('kombucha')).toEqual([]);
    expect(await found('cold brew')).toEqual(['e1']);

    await services.upsert(service('s2', 'e2', 'Sourdough starter audit', { published: false }));
    await services.delete('e1', 's1');
    expect(await found('sourdough')).toEqual([]);
    expect(await found('cold brew')).toEqual([]);
    expect(await found('ana')).toEqual(['e1']);
  });

  it('keeps an expert whose services changed for the next catch-up when reading their profile fails', async () => {
    const { profiles, services } = await containers();
    await profiles.create(expertProfile('e1', { verification: verified }));
    const feed = await new SearchFeed(profiles, services, { maxStalenessMs: 0 }).fresh();
    await services.create(service('s1', 'e1', 'Kombucha fermentation validation'));
    vi.spyOn(profiles, 'read').mockRejectedValueOnce(new Error('store unavailable'));
    await expect(feed.fresh()).rejects.toThrow('store unavailable');
    expect((await feed.fresh()).experts.search({ q: 'kombucha' }).items.map(({ expert }) => expert.id)).toEqual(['e1']);
  });

  it('indexes each expert once, with their services, when a new instance reads the feeds', async () => {
    const { profiles, services } = await containers();
    for (const id of ['e1', 'e2', 'e3']) {
      await profiles.create(expertProfile(id, { verification: verified }));
      await services.create(service(`${id}-s`, id, `Service ${id} allergen mapping`));
    }
    const reads = vi.spyOn(profiles, 'read');
    const feed = await new SearchFeed(profiles, services, { maxStalenessMs: 0 }).fresh();
    expect(feed.experts.search({ q: 'allergen mapping' }).total).toBe(3);
    expect(reads).not.toHaveBeenCalled();
  });
});
