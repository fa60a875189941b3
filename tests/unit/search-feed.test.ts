import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../shared/adapters/sqlite/sqlite-document-store';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { SearchFeed } from '../../shared/domain/search/search-feed';
import { expertProfile } from '../helpers/expert-profiles';

const verified = { status: 'verified' as const };
const pcqi = (expiresOn: string) => ({ id: 'c1', certificationId: 'pcqi', name: 'Preventive Controls Qualified Individual', issuer: 'FSPCA', number: 'PCQI-1', expiresOn });

describe('search feed', () => {
  it('follows the change feed: publishing, unpublishing and edits show in search on the next refresh', async () => {
    const profiles = await SqliteDocumentStore.open(':memory:').container<ExpertProfile>(expertProfiles);
    const feed = new SearchFeed(profiles, 0);
    await profiles.create(expertProfile('e1', { verification: verified, name: 'Ana Torres' }));
    await profiles.create(expertProfile('e2', { verification: { status: 'unverified' }, name: 'Ben Ortiz' }));
    expect((await feed.fresh()).experts.search({}).items.map(({ expert }) => expert.id)).toEqual(['e1']);
    const stored = (await profiles.read('e1', 'e1'))!;
    await profiles.replace({ ...stored, published: false });
    expect((await feed.fresh()).experts.size).toBe(0);
    expect(feed.autocomplete.suggest('Ana Tor').filter((item) => item.kind === 'expert')).toEqual([]);
  });

  it('stops counting a certification the day after it expires, though the profile never changed', async () => {
    const profiles = await SqliteDocumentStore.open(':memory:').container<ExpertProfile>(expertProfiles);
    let today = '2026-11-30';
    const feed = new SearchFeed(profiles, 0, () => today);
    await profiles.create(expertProfile('e1', { verification: verified, certifications: [pcqi('2026-11-30')] }));
    await profiles.create(expertProfile('e2', { verification: verified, certifications: [pcqi('2027-06-30')] }));
    const holders = async () => (await feed.fresh()).experts.search({ certifications: ['pcqi'] }).items.map(({ expert }) => expert.id).sort();
    expect(await holders()).toEqual(['e1', 'e2']);
    today = '2026-12-01';
    expect(await holders()).toEqual(['e2']);
  });
});
