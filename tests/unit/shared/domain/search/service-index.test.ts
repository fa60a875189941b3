import { describe, expect, it } from 'vitest';
import type { IndexedExpert } from '../../../../../shared/domain/search/expert-index';
import { ServiceIndex } from '../../../../../shared/domain/search/service-index';
import type { SearchableService } from '../../../../../shared/domain/search/searchable-service';

const service = (at: number): SearchableService => ({
  id: `s${at}`,
  expertId: 'e1',
  title: at % 2 ? `Kosher readiness review ${at}` : `Halal export file ${at}`,
  description: `Offer number n${at}`,
  expertise: at % 2 ? 'Kosher kashrut' : 'Halal',
  specializationId: at % 2 ? 'kosher' : 'halal',
  specializationIds: [at % 2 ? 'kosher' : 'halal', 'religious-certification'],
  pricing: { model: 'fixed', price: 100 + at },
  currency: 'USD',
  fromPrice: 100 + at,
  deliveryDays: 5,
});
const expert = { id: 'e1', country: 'US', languages: ['en'], rating: { average: 4.5, count: 10, bayesian: 4.3 } } as IndexedExpert;

describe('service index', () => {
  it('stays exact through many removals (dead slots compacted away)', () => {
    const index = new ServiceIndex();
    for (let at = 0; at < 3000; at++) index.put(service(at));
    for (let at = 0; at < 3000; at += 3) index.remove(`s${at}`);
    const kosher = index.search({ q: 'kosher', limit: 5 }, () => expert);
    expect(kosher.total).toBe([...Array(3000).keys()].filter((at) => at % 2 === 1 && at % 3 !== 0).length);
    expect(index.search({ q: 'n2999', limit: 5 }, () => expert).items.map((hit) => hit.service.id)).toEqual(['s2999']);
    expect(index.search({ q: 'n3', limit: 5 }, () => expert).total).toBe(0);
    // Replacing a service re-indexes its words.
    index.put({ ...service(1), title: 'Organic conversion plan' });
    expect(index.search({ q: 'organic conversion', limit: 5 }, () => expert).items.map((hit) => hit.service.id)).toEqual(['s1']);
  });
});
