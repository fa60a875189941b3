import { describe, expect, it } from 'vitest';
import { ExpertIndex } from '../../../../../../shared/domain/search/expert-index';
import { CHECK_MS, lookupFor } from '../../../../../../shared/domain/search/matching/match-lookup';
import { cert, expert } from '../../../../../helpers/matching-experts';

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

  it('is kept per index and rebuilt only after the index changed, checked at most every CHECK_MS', () => {
    const index = new ExpertIndex();
    index.put(expert('a', { headline: 'Kosher supervision' }));
    const first = lookupFor(index, 0);
    index.put(expert('a', { headline: 'Halal audits' }));
    // Within the check interval the old build answers; after it, the edit is found.
    expect(lookupFor(index, CHECK_MS - 1)).toBe(first);
    const edited = lookupFor(index, CHECK_MS);
    expect(edited).not.toBe(first);
    expect(ids(edited, edited.withWord('halal'))).toEqual(['a']);
    expect(ids(edited, edited.withWord('supervision'))).toEqual([]);
    // Nothing changed: the same build, however much later.
    expect(lookupFor(index, 10 * CHECK_MS)).toBe(edited);
    index.remove('a');
    expect(lookupFor(index, 20 * CHECK_MS).size).toBe(0);
  });
});
