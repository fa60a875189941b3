import { describe, expect, it } from 'vitest';
import { ancestry, certifications, findCertification, specializations } from '../../../../../shared/domain/experts/taxonomy';

const JURISDICTION = /^([A-Z]{2}|EU|GLOBAL)$/;

describe('specialization taxonomy', () => {
  it('has at least 25 specializations with unique ids and names', () => {
    expect(specializations.length).toBeGreaterThanOrEqual(25);
    expect(new Set(specializations.map((entry) => entry.id)).size).toBe(specializations.length);
    expect(new Set(specializations.map((entry) => entry.name.toLowerCase())).size).toBe(specializations.length);
  });

  it('forms a tree: every parent exists and no chain loops', () => {
    const ids = new Set(specializations.map((entry) => entry.id));
    for (const entry of specializations) {
      if (entry.parentId !== null) expect(ids.has(entry.parentId), `${entry.id} → ${entry.parentId}`).toBe(true);
      const chain = ancestry(entry.id);
      expect(chain[0]!.id).toBe(entry.id);
      expect(chain.at(-1)!.parentId).toBeNull();
      expect(chain.length).toBeLessThanOrEqual(4);
    }
  });

  it('refers only to catalogued certifications, with valid jurisdiction codes', () => {
    for (const entry of specializations) {
      for (const id of entry.certifications) expect(findCertification(id), `${entry.id} names ${id}`).toBeDefined();
      for (const code of entry.jurisdictions) expect(code).toMatch(JURISDICTION);
    }
    expect(new Set(certifications.map((entry) => entry.id)).size).toBe(certifications.length);
    for (const entry of certifications) for (const code of entry.jurisdictions) expect(code).toMatch(JURISDICTION);
  });

  it('covers the areas food companies hire for, findable by their acronyms', () => {
    const find = (term: string) => specializations.find((entry) => [entry.name, ...entry.synonyms, ...entry.acronyms].some((name) => name.toLowerCase() === term.toLowerCase()))?.id;
    expect(find('HACCP')).toBe('haccp');
    expect(find('PCHF')).toBe('fsma-preventive-controls');
    expect(find('FSVP')).toBe('fsvp');
    expect(find('FSMA 204')).toBe('food-traceability');
    expect(find('NOP')).toBe('usda-organic');
    expect(find('BRC')).toBe('brcgs');
    expect(find('kashrut')).toBe('kosher');
    expect(find('FIC')).toBe('labelling-eu');
    expect(find('EMP')).toBe('microbiology-lab-testing');
  });

  it('keeps US and EU organic apart: their certifications are recognised in different jurisdictions', () => {
    const eu = specializations.find((entry) => entry.id === 'eu-organic')!;
    const us = specializations.find((entry) => entry.id === 'usda-organic')!;
    expect(eu.certifications.flatMap((id) => findCertification(id)!.jurisdictions)).toEqual(['EU']);
    expect(us.certifications.flatMap((id) => findCertification(id)!.jurisdictions)).toEqual(['US']);
  });
});
