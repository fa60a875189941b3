import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { expertServices } from '../../../../../shared/domain/experts/containers';
import type { ExpertService } from '../../../../../shared/domain/experts/services';
import { AutocompleteIndex } from '../../../../../shared/domain/search/autocomplete';
import { ExpertIndex } from '../../../../../shared/domain/search/expert-index';
import { ServiceFeed } from '../../../../../shared/domain/search/service-feed';
import { toSearchable } from '../../../../../shared/domain/search/searchable-expert';
import { expertProfile, expertService } from '../../../../helpers/expert-profiles';

// The service feed against a real (in-memory SQLite) store, caught up on every read.

const service = (id: string, overrides: Partial<ExpertService> = {}) => expertService(id, 'ana', overrides);

let container: Container<ExpertService>;
let experts: ExpertIndex;
let autocomplete: AutocompleteIndex;
let feed: ServiceFeed;

beforeEach(async () => {
  container = await SqliteDocumentStore.open(':memory:').container<ExpertService>(expertServices);
  experts = new ExpertIndex();
  experts.put(toSearchable(expertProfile('ana', { name: 'Ana Ruiz', verification: { status: 'verified' } }), '2026-03-01'));
  autocomplete = new AutocompleteIndex();
  feed = new ServiceFeed(container, experts, autocomplete, 0);
});

const ids = async (query = {}) => (await feed.fresh()).search(query).items.map((hit) => hit.service.id);

describe('service feed', () => {
  it('prices every model comparably: fixed price, rate × estimated hours, cheapest tier; delivery is the quickest', async () => {
    await container.create(service('fixed'));
    await container.create(service('hourly', { pricing: { model: 'hourly', hourlyRate: 120, estimatedHours: 6.5 } }));
    await container.create(
      service('packages', {
        pricing: {
          model: 'packages',
          tiers: [
            { name: 'basic', price: 400, deliveryDays: 9, deliverables: ['Review'] },
            { name: 'premium', price: 1500, deliveryDays: 4, deliverables: ['Review', 'Visit'] },
          ],
        },
        deliveryDays: undefined,
        deliverables: undefined,
      }),
    );
    const hits = (await feed.fresh()).search({ currency: 'USD', sort: 'price' }).items;
    expect(hits.map((hit) => [hit.service.id, hit.service.fromPrice, hit.service.deliveryDays])).toEqual([
      ['packages', 400, 4],
      ['hourly', 780, 7],
      ['fixed', 900, 7],
    ]);
    expect(await ids({ maxDeliveryDays: 4 })).toEqual(['packages']);
  });

  it('drops unpublished and deleted services (the feed carries no deletes) and hides a hidden expert at once', async () => {
    await container.create(service('kept'));
    await container.create(service('draft', { published: false }));
    await container.create(service('gone', { title: 'HACCP training day' }));
    expect((await ids()).sort()).toEqual(['gone', 'kept']);
    expect(autocomplete.suggest('haccp train').map((entry) => entry.id)).toContain('gone');

    await container.delete('ana', 'gone');
    await container.upsert(service('kept', { published: false }));
    expect(await ids()).toEqual([]);
    expect(autocomplete.suggest('haccp train').map((entry) => entry.id)).not.toContain('gone');

    await container.upsert(service('kept'));
    expect(await ids()).toEqual(['kept']);
    experts.remove('ana');
    expect(feed.search({}).total).toBe(0);
    expect(feed.isPublic('kept')).toBe(false);
  });
});
