import { describe, expect, it } from 'vitest';
import { ExpertIndex } from '../../../shared/domain/search/expert-index';
import { lookupFor, REFRESH_MS } from '../../../shared/domain/search/matching/match-lookup';
import { cert, expert } from './experts';

const ids = (lookup: ReturnType<typeof lookupFor>, ordinals: Int32Array) => [...ordinals].map((ordinal) => lookup.idOf(ordinal)).sort();

describe('match lookups', () => {
  it('lists experts by specialization (ancestors included), certification and profile word', () => {
    const index = new ExpertIndex();
    index.put(expert('fsvp', { headline: 'Importer audits', specializations: [{ id: 'fsvp', years: 4, level: 'expert' }], certifications: [cert('fsvp-qi')] }));
    index.put(expert('kosher', { headline: 'Dairy kashrut', specializations: [{ id: 'kosher', years: 4, level: 'expert' }] }));
    const lookup = lookupFor(index, 0);
    expect(ids(lookup, lookup.withSpecialization('fsma'))).toEqual(['fsvp']);
    expect(ids(lookup, lookup.withCertification('fsvp-qi'))).toEqual(['fsvp']);
    // Taxonomy words (a synonym the profile never spells out) and headline words, normalised.
    expect(ids(lookup, lookup.withWord('pareve'))).toEqual(['kosher']);
    expect(ids(lookup, lookup.withWord('importer'))).toEqual(['fsvp']);
    expect(lookup.weightOf('importer')).toBeCloseTo(Math.log(3));
    expect(lookup.weightOf('nobody')).toBe(0);
  });

  it('is kept per index and rebuilt when the index changes size or has aged', () => {
    const index = new ExpertIndex();
    index.put(expert('a'));
    const first = lookupFor(index, 0);
    expect(lookupFor(index, 1)).toBe(first);
    index.put(expert('b'));
    const grown = lookupFor(index, 2);
    expect(grown).not.toBe(first);
    expect(grown.size).toBe(2);
    expect(lookupFor(index, 2 + REFRESH_MS)).not.toBe(grown);
  });
});
