import { describe, expect, it } from 'vitest';
import { readNeed } from '../../../../../../shared/domain/search/need-reader';
import { checkRequirements, requirementsFor } from '../../../../../../shared/domain/search/matching/requirements';
import { cert, expert } from '../../../../../helpers/matching-experts';

const euOrganic = expert('eu', {
  specializations: [{ id: 'eu-organic', years: 9, level: 'expert' }],
  certifications: [cert('eu-organic-inspector', 'Organic Inspector (EU 2018/848)')],
  jurisdictions: ['EU', 'DE'],
});
const usdaOrganic = expert('usda', {
  specializations: [{ id: 'usda-organic', years: 15, level: 'authority' }],
  certifications: [cert('usda-organic-inspector', 'Organic Inspector (USDA NOP)')],
  jurisdictions: ['US'],
});

describe('hard requirements', () => {
  it('tells an EU organic need from a USDA organic one, and says what the other expert holds instead', () => {
    const requirements = requirementsFor({}, readNeed('EU organic certification for our bakery line'));
    expect(requirements.map((requirement) => requirement.anyOf)).toEqual([['eu-organic-inspector'], ['eu-organic']]);
    expect(checkRequirements(euOrganic, requirements)).toEqual({ met: true, satisfied: ['certified Organic Inspector (EU 2018/848)', 'covers EU organic (Regulation 2018/848)'], missing: [] });
    const miss = checkRequirements(usdaOrganic, requirements);
    expect(miss.met).toBe(false);
    expect(miss.missing).toEqual(['holds Organic Inspector (USDA NOP), not Organic Inspector (EU 2018/848)', 'covers USDA organic (NOP), not EU organic (Regulation 2018/848)']);
  });

  it('reads "organic" with a place as that place\'s organic area', () => {
    const requirements = requirementsFor({}, readNeed('Organic certification for a farm in the United States'));
    expect(requirements).toEqual([{ kind: 'specialization', anyOf: ['usda-organic'], label: 'USDA organic (NOP)' }]);
    expect(checkRequirements(usdaOrganic, requirements).met).toBe(true);
    expect(checkRequirements(euOrganic, requirements).met).toBe(false);
  });

  it('requires a named credential, but not a discipline named by its own name', () => {
    expect(requirementsFor({}, readNeed('We need a PCQI for our plant'))).toEqual([{ kind: 'certification', anyOf: ['pcqi'], label: 'Preventive Controls Qualified Individual' }]);
    expect(requirementsFor({}, readNeed('HACCP plan review'))).toEqual([]);
    expect(requirementsFor({}, readNeed('SQF audit preparation'))).toEqual([]);
    const pcqi = expert('p', { certifications: [cert('pcqi')] });
    expect(checkRequirements(pcqi, requirementsFor({}, readNeed('We need a PCQI')))).toMatchObject({ met: true, satisfied: ['PCQI certified'] });
    expect(checkRequirements(expert('none'), requirementsFor({}, readNeed('We need a PCQI')))).toMatchObject({ met: false, missing: ['does not hold Preventive Controls Qualified Individual'] });
  });

  it('does not count an expired certification', () => {
    const expired = expert('old', { certifications: [{ ...cert('pcqi'), expiresOn: '2026-01-01' }] });
    expect(checkRequirements(expired, requirementsFor({ certifications: ['pcqi'] }, readNeed('food safety plan'))).met).toBe(false);
  });

  it('meets an explicit parent specialization with a child, and checks explicit jurisdictions', () => {
    const fsvp = expert('f', { specializations: [{ id: 'fsvp', years: 4, level: 'practitioner' }], jurisdictions: ['US'] });
    expect(checkRequirements(fsvp, requirementsFor({ specializations: ['fsma'], jurisdictions: ['US'] }, readNeed('import help'))).met).toBe(true);
    const check = checkRequirements(fsvp, requirementsFor({ specializations: ['kosher'], jurisdictions: ['CA'] }, readNeed('import help')));
    expect(check).toEqual({ met: false, satisfied: [], missing: ['does not cover Kosher', 'does not list work in Canada'] });
  });
});
