import type { ExpertProfile } from '../experts/records';
import { isCertificationCurrent } from '../experts/credential-expiry';
import { ancestry, findCertification } from '../experts/taxonomy';
import { interned, internedAll } from './interned';

/**
 * An expert as search sees them: the public profile flattened into what is matched, filtered,
 * faceted and sorted on. Specializations include their ancestors (an FSVP expert is found under
 * FSMA), certifications only while unexpired.
 */
export interface SearchableExpert {
  id: string;
  name: string;
  headline: string;
  bio: string;
  /** The titles and descriptions of the expert's published services. */
  services: string;
  /** Names, synonyms and acronyms of the specializations and certifications, for text matching. */
  expertise: string;
  specializationIds: string[];
  /** The leaf specializations the expert declared (facets count these). */
  declaredSpecializationIds: string[];
  certificationIds: string[];
  /** Years and level per declared specialization, as the expert stated them. */
  experience: { id: string; years: number; level: 'practitioner' | 'expert' | 'authority' }[];
  industries: string[];
  jurisdictions: string[];
  languages: string[];
  country: string;
  timeZone: string;
  rate: { amount: number; currency: string };
  rating: { average: number; count: number; bayesian: number };
  /** Median hours to a first reply, when known. */
  responseHours?: number;
  /** Weekdays (0 = Sunday) with hours, in the expert's time zone, and dates without any. */
  weekdays: number[];
  unavailableDates: string[];
  updatedAt: string;
}

/** A rating pulled toward the marketplace prior until it has enough reviews to stand on its own. */
export const RATING_PRIOR = { mean: 4.2, weight: 8 };

export function bayesianRating(average: number, count: number): number {
  return (RATING_PRIOR.mean * RATING_PRIOR.weight + average * count) / (RATING_PRIOR.weight + count);
}

const WEEKDAY = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

export function toSearchable(profile: ExpertProfile, today: string, services = ''): SearchableExpert {
  const specializationIds = new Set<string>();
  const words: string[] = [];
  for (const declared of profile.specializations) {
    for (const node of ancestry(declared.id)) {
      specializationIds.add(node.id);
      words.push(node.name, ...node.synonyms, ...node.acronyms);
    }
  }
  const valid = profile.certifications.filter((certification) => isCertificationCurrent(certification, today));
  const certificationIds = internedAll([...new Set(valid.map((certification) => certification.certificationId).filter((id): id is string => !!id))]);
  for (const certification of valid) {
    const catalogued = certification.certificationId ? findCertification(certification.certificationId) : undefined;
    words.push(certification.name, certification.issuer, ...(catalogued?.acronyms ?? []));
  }
  return {
    id: profile.id,
    name: profile.name,
    headline: profile.headline,
    bio: profile.bio,
    services,
    expertise: [...new Set(words)].join(' '),
    specializationIds: [...specializationIds],
    declaredSpecializationIds: profile.specializations.map((entry) => interned(entry.id)),
    certificationIds,
    experience: profile.specializations.map(({ id, years, level }) => ({ id: interned(id), years, level: interned(level) as typeof level })),
    industries: internedAll(profile.industries),
    jurisdictions: internedAll(profile.jurisdictions),
    languages: internedAll(profile.languages),
    country: interned(profile.country),
    timeZone: interned(profile.timeZone),
    rate: { amount: profile.hourlyRate.amount, currency: interned(profile.hourlyRate.currency) },
    rating: { ...profile.rating, bayesian: bayesianRating(profile.rating.average, profile.rating.count) },
    ...(profile.responsiveness ? { responseHours: profile.responsiveness.medianHours } : {}),
    weekdays: profile.availability.weekly.filter((day) => day.slots.length > 0).map((day) => WEEKDAY[day.day]),
    unavailableDates: profile.availability.exceptions.filter((exception) => exception.slots.length === 0).map((exception) => exception.date),
    updatedAt: profile.updatedAt,
  };
}

/** Whether the expert has hours on at least one date in [from, to] (dates in their own time zone). */
export function availableBetween(expert: Pick<SearchableExpert, 'weekdays' | 'unavailableDates'>, from: string, to: string): boolean {
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let day = Date.parse(`${from}T00:00:00Z`), steps = 0; day <= end && steps < 62; day += 86_400_000, steps++) {
    const date = new Date(day);
    if (expert.weekdays.includes(date.getUTCDay()) && !expert.unavailableDates.includes(date.toISOString().slice(0, 10))) return true;
  }
  return false;
}
