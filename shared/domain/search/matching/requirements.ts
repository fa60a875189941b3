import { countries } from 'countries-list';
import { certifications, findCertification, findSpecialization, specializations } from '../../experts/taxonomy';
import type { NeedReading } from '../need-reader';
import type { IndexedExpert } from '../expert-index';

/**
 * Hard requirements: what an expert must have for a suggestion to meet the need. They come from
 * the need's explicit fields and from reading its text:
 * - a certification the text names (by name or acronym) must be held and current; an acronym two
 *   certifications share ("SQF": practitioner or auditor) is met by either. A word that is also a
 *   discipline's own name ("HACCP", "SQF", "BRCGS") names the discipline, not a credential, so it
 *   is not required (the certifications factor still rewards it);
 * - a jurisdiction-specific area the text names, where the same area exists for other places
 *   ("EU organic" beside "USDA organic", "US labelling" beside "EU labelling"), must be covered;
 * - every explicit specialization must be covered (a child counts for its parent), every explicit
 *   certification held, every explicit jurisdiction listed.
 * Certifications are taxonomy ids, so an EU organic need is never met by a USDA one.
 */
export interface Requirement {
  kind: 'certification' | 'specialization' | 'jurisdiction';
  /** Any one of these meets it. */
  anyOf: string[];
  label: string;
}

export interface RequirementCheck {
  met: boolean;
  /** What is held, in the buyer's words ("PCQI certified"). */
  satisfied: string[];
  /** What is missing, naming a near alternative the expert has ("holds X, not Y"). */
  missing: string[];
}

const DISCIPLINE_NAMES = new Set(specializations.map((entry) => entry.name.toLowerCase()));

export function requirementsFor(need: { specializations?: string[]; certifications?: string[]; jurisdictions?: string[] }, reading: NeedReading): Requirement[] {
  const requirements: Requirement[] = [];
  const add = (requirement: Requirement) => {
    if (!requirements.some((existing) => existing.kind === requirement.kind && existing.anyOf.join() === requirement.anyOf.join())) requirements.push(requirement);
  };
  // Certifications read from the text, grouped by the words that named them.
  const named = new Map<string, string[]>();
  for (const concept of reading.certifications) {
    if (DISCIPLINE_NAMES.has(concept.matched.toLowerCase())) continue;
    named.set(concept.matched, [...(named.get(concept.matched) ?? []), concept.id]);
  }
  for (const ids of named.values()) add(certificationRequirement(ids));
  for (const id of need.certifications ?? []) add(certificationRequirement([id]));
  for (const concept of reading.specializations) if (isPlaceSpecific(concept.id)) add(specializationRequirement(concept.id));
  for (const id of need.specializations ?? []) add(specializationRequirement(id));
  for (const code of need.jurisdictions ?? []) add({ kind: 'jurisdiction', anyOf: [code], label: placeName(code) });
  return requirements;
}

export function checkRequirements(expert: Pick<IndexedExpert, 'certificationIds' | 'specializationIds' | 'jurisdictions'>, requirements: Requirement[]): RequirementCheck {
  const satisfied: string[] = [];
  const missing: string[] = [];
  for (const requirement of requirements) {
    const held = heldBy(expert, requirement.kind);
    const match = requirement.anyOf.find((id) => held.includes(id));
    if (match) satisfied.push(satisfiedWording(requirement, match));
    else missing.push(missingWording(expert, requirement));
  }
  return { met: missing.length === 0, satisfied, missing };
}

/** A leaf area whose siblings cover other places: naming it names the place too. */
function isPlaceSpecific(id: string): boolean {
  const entry = findSpecialization(id);
  if (!entry?.parentId || entry.jurisdictions.includes('GLOBAL')) return false;
  return specializations.some((other) => other.parentId === entry.parentId && other.id !== id && other.jurisdictions.join() !== entry.jurisdictions.join());
}

function certificationRequirement(ids: string[]): Requirement {
  return { kind: 'certification', anyOf: ids, label: ids.map((id) => findCertification(id)!.name).join(' or ') };
}

function specializationRequirement(id: string): Requirement {
  return { kind: 'specialization', anyOf: [id], label: findSpecialization(id)!.name };
}

function heldBy(expert: Pick<IndexedExpert, 'certificationIds' | 'specializationIds' | 'jurisdictions'>, kind: Requirement['kind']): string[] {
  if (kind === 'certification') return expert.certificationIds;
  if (kind === 'specialization') return expert.specializationIds;
  return expert.jurisdictions;
}

/** How a certification reads in a reason: its acronym when no other certification shares it ("PCQI certified"), else its name ("certified Halal Auditor"). */
export function certificationWording(id: string): string {
  const entry = findCertification(id)!;
  const acronym = entry.acronyms.find((candidate) => /^[A-Z0-9 -]+$/.test(candidate) && certifications.filter((other) => other.acronyms.includes(candidate)).length === 1);
  return acronym ? `${acronym} certified` : `certified ${entry.name}`;
}

export function placeName(code: string): string {
  if (code === 'EU') return 'the EU';
  return countries[code as keyof typeof countries]?.name ?? code;
}

function satisfiedWording(requirement: Requirement, id: string): string {
  if (requirement.kind === 'certification') return certificationWording(id);
  if (requirement.kind === 'specialization') return `covers ${findSpecialization(id)!.name}`;
  return `works in ${placeName(id)}`;
}

function missingWording(expert: Pick<IndexedExpert, 'certificationIds' | 'specializationIds' | 'jurisdictions'>, requirement: Requirement): string {
  if (requirement.kind === 'jurisdiction') return `does not list work in ${requirement.label}`;
  if (requirement.kind === 'certification') {
    const near = expert.certificationIds.find((held) => requirement.anyOf.some((wanted) => sameArea(certifiedAreas(held), certifiedAreas(wanted))));
    return near ? `holds ${findCertification(near)!.name}, not ${requirement.label}` : `does not hold ${requirement.label}`;
  }
  const wanted = findSpecialization(requirement.anyOf[0]!)!;
  const sibling = expert.specializationIds.map((id) => findSpecialization(id)!).find((entry) => entry.id !== wanted.id && entry.parentId !== null && entry.parentId === wanted.parentId);
  return sibling ? `covers ${sibling.name}, not ${wanted.name}` : `does not cover ${wanted.name}`;
}

/** The areas (parents of the specializations) a certification evidences. */
function certifiedAreas(certificationId: string): Set<string> {
  return new Set(specializations.filter((entry) => entry.certifications.includes(certificationId) && entry.parentId).map((entry) => entry.parentId!));
}

function sameArea(a: Set<string>, b: Set<string>): boolean {
  return [...a].some((area) => b.has(area));
}
