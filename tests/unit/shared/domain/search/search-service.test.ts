import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { ExpertEventKind } from '../../../../../shared/domain/experts/analytics';
import { expertProfiles, expertServices } from '../../../../../shared/domain/experts/containers';
import { EventTally } from '../../../../../shared/domain/experts/event-tally';
import type { ExpertProfile } from '../../../../../shared/domain/experts/records';
import type { ExpertService } from '../../../../../shared/domain/experts/services';
import { SearchFeed } from '../../../../../shared/domain/search/search-feed';
import { SearchService } from '../../../../../shared/domain/search/search-service';
import { expertProfile, expertService } from '../../../../helpers/expert-profiles';

// The search use cases over the real indexes on the embedded store; analytics events are written
// at once (interval 0) to a recorder, and recorded searches are kept.
let written: { subject: string; kind: ExpertEventKind; count: number }[];
let searches: { text: string | undefined; specializations: readonly string[] | undefined }[];
let service: SearchService;

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  const profiles = await store.container<ExpertProfile>(expertProfiles);
  const services = await store.container<ExpertService>(expertServices);
  const verified = { verification: { status: 'verified' as const } };
  await profiles.create(expertProfile('e-ana', { ...verified, name: 'Ana Torres', headline: 'HACCP lead auditor' }));
  await profiles.create(expertProfile('e-ben', { ...verified, name: 'Ben Okafor', headline: 'HACCP plan writer' }));
  await profiles.create(expertProfile('e-hidden', { name: 'Hidden Expert', headline: 'HACCP trainer' }));
  await services.create(expertService('s-public', 'e-ana', { title: 'Kosher kitchen walkthrough' }));
  await services.create(expertService('s-draft', 'e-ana', { title: 'Kosher supplier audit', published: false }));
  await services.create(expertService('s-of-hidden', 'e-hidden', { title: 'Kosher certification prep' }));
  written = [];
  searches = [];
  const feed = new SearchFeed(profiles, services);
  service = new SearchService({
    feed: () => feed.fresh(),
    events: new EventTally<ExpertEventKind>(async (subject, kind, _day, count) => void written.push({ subject, kind, count }), 0),
    trends: { recordSearch: async (text, specializations) => void searches.push({ text, specializations }) },
  });
});

describe('searching experts', () => {
  it('finds public experts only, counts each one on the page as a search appearance, and records the search', async () => {
    const results = await service.experts({ q: 'haccp', specializations: ['fsma-preventive-controls'], sort: 'relevance', limit: 10 });
    const found = results.items.map(({ expert }) => expert.id).sort();
    expect(found).toEqual(['e-ana', 'e-ben']);
    expect(
      written
        .filter((event) => event.kind === 'searchAppearance')
        .map((event) => event.subject)
        .sort(),
    ).toEqual(found);
    expect(searches).toEqual([{ text: 'haccp', specializations: ['fsma-preventive-controls'] }]);
  });

  it('records a search once: the pages after the first continue it, their experts still counted', async () => {
    const first = await service.experts({ q: 'haccp', sort: 'relevance', limit: 1 });
    expect(first.next).toBeDefined();
    const second = await service.experts({ q: 'haccp', sort: 'relevance', limit: 1, after: first.next });
    expect(second.items).toHaveLength(1);
    expect(searches).toHaveLength(1);
    expect(written.map((event) => event.subject).sort()).toEqual(['e-ana', 'e-ben']);
  });
});

describe('searching services', () => {
  it('finds published services of public experts only', async () => {
    const results = await service.services({ q: 'kosher', sort: 'relevance', limit: 10 });
    expect(results.items.map(({ service: found }) => found.id)).toEqual(['s-public']);
  });
});

describe('autocomplete', () => {
  it("suggests a service's title only while the public may see it", async () => {
    const titles = (await service.autocomplete('kosher', 20)).filter((suggestion) => suggestion.kind === 'service').map((suggestion) => suggestion.id);
    expect(titles).toEqual(['s-public']);
  });
});
