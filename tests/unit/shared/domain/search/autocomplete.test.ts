import { describe, expect, it } from 'vitest';
import { AutocompleteIndex } from '../../../../../shared/domain/search/autocomplete';

const labels = (index: AutocompleteIndex, query: string) => index.suggest(query, 5).map((suggestion) => `${suggestion.kind}:${suggestion.id}`);

describe('autocomplete', () => {
  const index = new AutocompleteIndex();
  index.put({ kind: 'expert', ref: 'u1', label: 'María García-López' });
  index.put({ kind: 'service', ref: 's1', label: 'FSVP program set-up for importers' });

  it('suggests by prefix across the taxonomy, expert names and service titles', () => {
    expect(labels(index, 'hac')[0]).toBe('specialization:haccp');
    expect(labels(index, 'mar')).toContain('expert:u1');
    expect(labels(index, 'fsvp')).toEqual(expect.arrayContaining(['specialization:fsvp', 'service:s1', 'certification:fsvp-qi']));
  });

  it('tolerates a missing letter and two swapped letters', () => {
    expect(labels(index, 'hacp')[0]).toBe('specialization:haccp');
    expect(labels(index, 'fmsa')).toContain('specialization:fsma');
    expect(labels(index, 'kosehr')[0]).toBe('specialization:kosher');
  });

  it('finds by synonym and acronym, and forgets removed entries', () => {
    expect(labels(index, 'kashrut')[0]).toBe('specialization:kosher');
    expect(labels(index, 'PCQI')).toContain('certification:pcqi');
    index.remove('expert', 'u1');
    expect(labels(index, 'maria')).not.toContain('expert:u1');
  });

  it('returns nothing for nonsense rather than everything', () => {
    expect(index.suggest('zzqx')).toEqual([]);
  });

  it('suggests a title many services share once, standing for a service the public may see', () => {
    const shared = new AutocompleteIndex();
    for (const ref of ['a', 'b', 'c']) shared.put({ kind: 'service', ref, label: 'Mock recall exercise' });
    const services = (query: string, visible = (id: string) => id !== 'a') =>
      shared.suggest(query, 5, (suggestion) => suggestion.kind !== 'service' || visible(suggestion.id)).filter((suggestion) => suggestion.kind === 'service');
    expect(services('mock rec').map((suggestion) => suggestion.id)).toEqual(['b']);
    shared.remove('service', 'b');
    expect(services('mock rec').map((suggestion) => suggestion.id)).toEqual(['c']);
    // Renamed, then the last service with the old title removed: the title goes, the new one is found.
    shared.put({ kind: 'service', ref: 'c', label: 'Traceability drill' });
    expect(services('mock rec', () => true).map((suggestion) => suggestion.id)).toEqual(['a']);
    shared.remove('service', 'a');
    expect(services('mock rec', () => true)).toEqual([]);
    expect(services('tracea').map((suggestion) => suggestion.id)).toEqual(['c']);
  });
});
