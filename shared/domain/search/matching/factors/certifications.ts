import { certificationWording } from '../requirements';
import type { Factor } from './factor';

/**
 * Credentials for the need: holding a certification the need names scores 1; otherwise holding
 * one that evidences the need's specializations scores 1 when none is named, 0.5 when one is.
 */
export const certificationFit: Factor = (expert, context) => {
  const { namedCertifications: named, evidenceCertifications: evidence } = context;
  if (named.length === 0 && evidence.length === 0) return undefined;
  const heldNamed = named.filter((id) => expert.certificationIds.includes(id));
  const heldEvidence = evidence.filter((id) => expert.certificationIds.includes(id) && !heldNamed.includes(id));
  const held = [...heldNamed, ...heldEvidence].slice(0, 2);
  const score = heldNamed.length ? 1 : heldEvidence.length ? (named.length ? 0.5 : 1) : 0;
  return held.length ? { score, reason: held.map(certificationWording).join(', ') } : { score };
};
