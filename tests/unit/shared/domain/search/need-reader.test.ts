import { describe, expect, it } from 'vitest';
import { normalize, readNeed } from '../../../../../shared/domain/search/need-reader';

const ids = (concepts: { id: string }[]) => concepts.map((concept) => concept.id).sort();

describe('reading a need with the taxonomy', () => {
  it('finds specializations by name, synonym and acronym, and the jurisdiction they imply', () => {
    const reading = readNeed('Our FDA import was detained; we need an FSVP audit before the FSMA 204 traceability deadline');
    expect(ids(reading.specializations)).toEqual(['food-traceability', 'fsvp', 'trade-compliance', 'us-regulatory']);
    expect(ids(reading.jurisdictions)).toEqual(['US']);
  });

  it('prefers the longest phrase: "FSMA 204" is traceability, not FSMA in general', () => {
    expect(readNeed('help with FSMA 204 records').specializations).toEqual([{ id: 'food-traceability', matched: 'FSMA 204' }]);
  });

  it('tells EU organic from USDA organic by the jurisdiction cues', () => {
    const eu = readNeed('Bakery launching an organic line in the EU under Regulation 2018/848');
    expect(ids(eu.specializations)).toEqual(['eu-organic', 'organic']);
    expect(ids(eu.jurisdictions)).toEqual(['EU']);
    expect(ids(readNeed('USDA organic certification for our farm').specializations)).toEqual(['organic', 'usda-organic']);
  });

  it('reads pathogens as microbiology, and countries by name', () => {
    const reading = readNeed('Salmonella finding in our Mexico plant, need environmental monitoring help');
    expect(ids(reading.specializations)).toEqual(['microbiology-lab-testing']);
    expect(ids(reading.jurisdictions)).toEqual(['MX']);
  });

  it('counts acronyms that are ordinary words only in capitals', () => {
    expect(readNeed('mind the gap in our budget').specializations).toEqual([]);
    expect(ids(readNeed('GAP audit for our farm').specializations)).toEqual(['produce-safety']);
    expect(readNeed('we sell it in stores').jurisdictions).toEqual([]);
    expect(ids(readNeed('sqf and haccp').specializations)).toEqual(['haccp', 'sqf']);
  });

  it('finds certifications, accents and punctuation aside', () => {
    expect(ids(readNeed('Looking for a PCQI (Preventive Controls Qualified Individual)').certifications)).toEqual(['pcqi']);
    expect(normalize('  Bäckerei—HACCP,  plan ')).toBe('backerei haccp plan');
  });
});
