import { faker } from '@faker-js/faker';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticExpert } from '../../../../../shared/domain/experts/synthetic-experts';
import type { ExpertProfile } from '../../../../../shared/domain/experts/records';
import { ExpertIndex } from '../../../../../shared/domain/search/expert-index';
import { availableBetween, toSearchable } from '../../../../../shared/domain/search/searchable-expert';

const today = '2026-11-25';
let index: ExpertIndex;
let profiles: ExpertProfile[];

beforeAll(() => {
  faker.seed(11);
  profiles = Array.from({ length: 400 }, (_, i) => syntheticExpert(faker, () => faker, i, new Date('2026-01-01T00:00:00Z')));
  index = new ExpertIndex();
  for (const profile of profiles) index.put(toSearchable(profile, today));
});

describe('expert search index', () => {
  it('finds experts by an acronym their profile never spells out, best coverage first', () => {
    const results = index.search({ q: 'FSVP', limit: 5 });
    expect(results.total).toBeGreaterThan(0);
    for (const { expert } of results.items) expect(expert.specializationIds).toContain('fsvp');
  });

  it('filters: specializations any/all (a parent finds its children), country, rate with currency, rating, languages', () => {
    const fsma = index.search({ specializations: ['fsma'], limit: 500 });
    expect(fsma.total).toBeGreaterThan(0);
    for (const { expert } of fsma.items) expect(expert.specializationIds).toContain('fsma');
    const both = index.search({ specializations: ['kosher', 'halal'], specializationsMode: 'all', limit: 500 });
    const either = index.search({ specializations: ['kosher', 'halal'], specializationsMode: 'any', limit: 500 });
    expect(both.total).toBeGreaterThan(0);
    expect(either.total).toBeGreaterThan(both.total);
    for (const { expert } of both.items) expect(expert.specializationIds).toEqual(expect.arrayContaining(['kosher', 'halal']));
    const mx = index.search({ country: 'MX', languages: ['es'], currency: 'USD', minRate: 50, maxRate: 100, minRating: 4, limit: 500 });
    expect(mx.total).toBeGreaterThan(0);
    for (const { expert } of mx.items) {
      expect(expert).toMatchObject({ country: 'MX', rate: { currency: 'USD' } });
      expect(expert.rate.amount).toBeGreaterThanOrEqual(50);
      expect(expert.rate.amount).toBeLessThanOrEqual(100);
      expect(expert.rating.average).toBeGreaterThanOrEqual(4);
    }
  });

  it('sorts by rating (with the prior) and by rate, both ways', () => {
    const byRating = index.search({ sort: 'rating', limit: 50 }).items.map(({ expert }) => expert.rating.bayesian);
    expect(byRating).toEqual([...byRating].sort((a, b) => b - a));
    const cheap = index.search({ sort: 'rate', currency: 'EUR', limit: 50 }).items.map(({ expert }) => expert.rate.amount);
    expect(cheap).toEqual([...cheap].sort((a, b) => a - b));
    const dear = index.search({ sort: 'rate_desc', currency: 'EUR', limit: 50 }).items.map(({ expert }) => expert.rate.amount);
    expect(dear).toEqual([...dear].sort((a, b) => b - a));
  });

  it('counts facets over everything that matched, not just the page', () => {
    const results = index.search({ country: 'DE', limit: 3 });
    expect(results.facets.country).toEqual([{ value: 'DE', count: results.total }]);
    const languages = Object.fromEntries(results.facets.languages.map((facet) => [facet.value, facet.count]));
    expect(languages.de).toBe(results.total);
  });

  it('pages with a cursor without repeating or skipping, even when an expert is added between pages', () => {
    const seen: string[] = [];
    let after: { value: number; id: string } | undefined;
    let extraAdded = false;
    for (let guard = 0; guard < 100; guard++) {
      const page = index.search({ sort: 'rating', limit: 37, ...(after ? { after } : {}) });
      seen.push(...page.items.map(({ expert }) => expert.id));
      if (!extraAdded) {
        // A newcomer rated below everyone so far lands on a later page.
        index.put({ ...toSearchable(profiles[0]!, today), id: 'late-arrival', rating: { average: 1, count: 500, bayesian: 1.01 } });
        extraAdded = true;
      }
      if (!page.next) break;
      after = page.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(401);
    index.remove('late-arrival');
  });

  it('sorts by responsiveness: fastest replies first, experts without a measured time last', () => {
    const hours = index.search({ sort: 'responsiveness', limit: 400 }).items.map(({ expert }) => expert.responseHours ?? Infinity);
    expect(hours).toEqual([...hours].sort((a, b) => a - b));
    expect(hours[0]).toBeLessThan(hours.at(-1)!);
  });

  it('answers a repeated query from memory until anything changes', () => {
    const first = index.search({ q: 'kosher', limit: 5 });
    expect(index.search({ q: 'kosher', limit: 5 })).toBe(first);
    index.put({ ...toSearchable(profiles[1]!, today), id: 'kosher-newcomer', name: 'Kosher Kosherson', headline: 'Kosher kosher kosher' });
    const after = index.search({ q: 'kosher', limit: 500 });
    expect(after.total).toBe(first.total + 1);
    expect(after.items.map(({ expert }) => expert.id)).toContain('kosher-newcomer');
    index.remove('kosher-newcomer');
    expect(index.search({ q: 'kosher', limit: 5 }).total).toBe(first.total);
  });

  it('stays exact through many updates (dead slots compacted away): text, filters and facets', () => {
    const before = index.search({ q: 'organic', country: 'US', limit: 50 });
    // Re-put everyone twice: half the slots die each round, forcing compactions.
    for (let round = 0; round < 2; round++) for (const profile of profiles) index.put(toSearchable(profile, today));
    const again = index.search({ q: 'organic', country: 'US', limit: 50 });
    expect(index.size).toBe(profiles.length);
    expect(again.total).toBe(before.total);
    expect(again.items.map(({ expert }) => expert.id)).toEqual(before.items.map(({ expert }) => expert.id));
    expect(again.facets).toEqual(before.facets);
  });

  it('gives the matcher the text scores of the best matches of a long need', () => {
    const need = 'Salmonella found in our ready to eat plant; we need HACCP and FSMA preventive controls help before an FDA inspection';
    const all = [...index.textScores(need, 10_000)].sort((a, b) => b[1] - a[1]);
    const best = index.textScores(need, 5);
    expect(all.length).toBeGreaterThan(5);
    expect(best.size).toBe(5);
    // The five best scores (any of equally scored experts may take the last place).
    expect([...best.values()].sort((a, b) => b - a)).toEqual(all.slice(0, 5).map(([, score]) => score));
  });

  it('knows when an expert has hours in a date range', () => {
    expect(availableBetween({ weekdays: [1], unavailableDates: [] }, '2026-11-23', '2026-11-23')).toBe(true); // a Monday
    expect(availableBetween({ weekdays: [1], unavailableDates: ['2026-11-23'] }, '2026-11-23', '2026-11-29')).toBe(false);
    expect(availableBetween({ weekdays: [6], unavailableDates: [] }, '2026-11-23', '2026-11-27')).toBe(false);
  });
});
