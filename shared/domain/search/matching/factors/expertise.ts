import { ancestry, findSpecialization } from '../../../experts/taxonomy';
import type { IndexedExpert } from '../../expert-index';
import { clamp01, type Factor } from './factor';

const LEVEL = { practitioner: 0.5, expert: 0.8, authority: 1 } as const;
/** Years at which experience stops adding to the score. */
const SEASONED_YEARS = 15;

/**
 * How well the expert covers the specializations the need is about, and how deeply: each
 * concept covered counts 0.6, plus up to 0.25 for years and 0.15 for the stated level; a
 * neighbouring specialization (same parent) counts 0.2. Averaged over the concepts by their weight.
 */
export const expertise: Factor = (expert, context) => {
  if (context.concepts.length === 0) return undefined;
  let total = 0;
  let weights = 0;
  let best: { years: number; name: string } | undefined;
  for (const { id, weight } of context.concepts) {
    weights += weight;
    const depth = experienceIn(expert, id);
    if (depth) {
      total += weight * (0.6 + 0.25 * clamp01(depth.years / SEASONED_YEARS) + 0.15 * LEVEL[depth.level]);
      if (!best || depth.years > best.years) best = { years: depth.years, name: depth.name };
    } else if (coversNeighbour(expert, id)) total += weight * 0.2;
  }
  const score = total / weights;
  return best ? { score, reason: `${best.years} ${best.years === 1 ? 'year' : 'years'} in ${best.name}` } : { score };
};

/** The expert's deepest declared experience at or under the concept (a FSVP expert covers FSMA). */
function experienceIn(expert: IndexedExpert, concept: string): { years: number; level: keyof typeof LEVEL; name: string } | undefined {
  if (!expert.specializationIds.includes(concept)) return undefined;
  let deepest: { years: number; level: keyof typeof LEVEL; name: string } | undefined;
  for (const entry of expert.experience) {
    if (!ancestry(entry.id).some((node) => node.id === concept)) continue;
    if (!deepest || entry.years > deepest.years) deepest = { years: entry.years, level: entry.level, name: findSpecialization(entry.id)!.name };
  }
  // Covered only through a descendant the experience list does not name: count it, without depth.
  return deepest ?? { years: 0, level: 'practitioner', name: findSpecialization(concept)!.name };
}

function coversNeighbour(expert: IndexedExpert, concept: string): boolean {
  const parent = findSpecialization(concept)?.parentId;
  return !!parent && expert.declaredSpecializationIds.some((id) => id !== concept && findSpecialization(id)?.parentId === parent);
}
