import type { ExpertProfile } from '../../shared/domain/experts/records';
import type { MatchContext } from '../../shared/domain/search/matching/factors/factor';
import { needSchema, type NeedInput } from '../../shared/domain/search/matching/need';
import { type SearchableExpert, toSearchable } from '../../shared/domain/search/searchable-expert';
import { expertProfile } from './expert-profiles';

export const NOW = new Date('2026-12-07T10:00:00Z');
export const TODAY = '2026-12-07';

/** A public expert as the index holds it, from a stored profile with these changes. */
export function expert(id: string, overrides: Partial<ExpertProfile> = {}): SearchableExpert {
  return toSearchable(expertProfile(id, { verification: { status: 'verified' }, ...overrides }), TODAY);
}

export const cert = (certificationId: string, name = certificationId) => ({
  id: `c-${certificationId}`,
  certificationId,
  name,
  issuer: 'issuer',
  number: 'N-1',
  issuedOn: '2025-01-01',
  expiresOn: '2028-01-01',
});

export const parseNeed = (input: NeedInput) => needSchema(() => TODAY).parse(input);

/** A factor's context for a need, with nothing read from its text unless given. */
export function context(input: Partial<NeedInput>, extra: Partial<MatchContext> = {}): MatchContext {
  return { need: parseNeed({ title: 'help needed', ...input }), concepts: [], namedCertifications: [], text: new Map(), now: NOW, ...extra };
}
