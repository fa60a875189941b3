import { findSpecialization } from '../../../experts/taxonomy';
import { certificationWording } from '../requirements';
import type { Factor, MatchContext } from './factor';

/**
 * Credentials for the need. Holding a certification the need names scores 1. Otherwise what
 * counts is evidence per concept: for each of the need's specializations that certifications
 * evidence (HACCP: the HACCP course, Seafood HACCP, PCQI), whether the expert holds one, weighted
 * like the concepts — so a customs-broker licence does not stand in for a missing halal auditor.
 * That evidence is worth half when the need named a certification the expert lacks.
 */
export const certificationFit: Factor = (expert, context) => {
  const named = context.namedCertifications;
  const evidenced = evidencedConcepts(context.concepts);
  if (named.length === 0 && evidenced.length === 0) return undefined;
  const heldNamed = named.filter((id) => expert.certificationIds.includes(id));
  const heldEvidence = [...new Set(evidenced.flatMap((concept) => concept.by.filter((id) => expert.certificationIds.includes(id))))].filter((id) => !heldNamed.includes(id));
  const weights = evidenced.reduce((sum, concept) => sum + concept.weight, 0);
  const share = weights ? evidenced.reduce((sum, concept) => sum + (concept.by.some((id) => expert.certificationIds.includes(id)) ? concept.weight : 0), 0) / weights : 0;
  const score = heldNamed.length ? 1 : named.length ? share / 2 : share;
  const held = [...heldNamed, ...heldEvidence].slice(0, 2);
  return held.length ? { score, reason: held.map(certificationWording).join(', ') } : { score };
};

type Evidenced = { id: string; weight: number; by: readonly string[] }[];
const evidence = new WeakMap<MatchContext['concepts'], Evidenced>();

/** The need's concepts that certifications evidence, with those certifications (worked out once per request). */
function evidencedConcepts(concepts: MatchContext['concepts']): Evidenced {
  let found = evidence.get(concepts);
  if (!found) evidence.set(concepts, (found = concepts.map((concept) => ({ ...concept, by: findSpecialization(concept.id)!.certifications })).filter((concept) => concept.by.length > 0)));
  return found;
}
