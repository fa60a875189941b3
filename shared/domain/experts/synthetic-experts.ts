import type { Faker } from '@faker-js/faker';
import { certifications, specializations, type Specialization } from './taxonomy';
import { INDUSTRIES } from './profile-schema';
import type { ExpertProfile } from './records';

/**
 * Realistic, deterministic synthetic experts for demos, benchmarks and relevance tests: the same
 * seed gives the same experts. Each has one to four related specializations, the certifications
 * that evidence them (valid, not expired), languages and time zone of their country, a rate in
 * its currency and a rating history.
 */
interface Place {
  country: string;
  timeZone: string;
  languages: string[];
  currency: string;
  /** Rough hourly rate range, in the currency. */
  rate: [number, number];
  locale: string;
}

const PLACES: Place[] = [
  { country: 'US', timeZone: 'America/Chicago', languages: ['en'], currency: 'USD', rate: [90, 260], locale: 'en_US' },
  { country: 'US', timeZone: 'America/Los_Angeles', languages: ['en', 'es'], currency: 'USD', rate: [90, 260], locale: 'en_US' },
  { country: 'US', timeZone: 'America/New_York', languages: ['en'], currency: 'USD', rate: [100, 280], locale: 'en_US' },
  { country: 'MX', timeZone: 'America/Mexico_City', languages: ['es', 'en'], currency: 'USD', rate: [45, 140], locale: 'es_MX' },
  { country: 'CA', timeZone: 'America/Toronto', languages: ['en', 'fr'], currency: 'CAD', rate: [100, 240], locale: 'en_CA' },
  { country: 'GB', timeZone: 'Europe/London', languages: ['en'], currency: 'GBP', rate: [70, 190], locale: 'en_GB' },
  { country: 'DE', timeZone: 'Europe/Berlin', languages: ['de', 'en'], currency: 'EUR', rate: [80, 200], locale: 'de' },
  { country: 'FR', timeZone: 'Europe/Paris', languages: ['fr', 'en'], currency: 'EUR', rate: [80, 190], locale: 'fr' },
  { country: 'ES', timeZone: 'Europe/Madrid', languages: ['es', 'en'], currency: 'EUR', rate: [60, 160], locale: 'es' },
  { country: 'NL', timeZone: 'Europe/Amsterdam', languages: ['nl', 'en'], currency: 'EUR', rate: [85, 210], locale: 'nl' },
  { country: 'IT', timeZone: 'Europe/Rome', languages: ['it', 'en'], currency: 'EUR', rate: [70, 180], locale: 'it' },
  { country: 'IL', timeZone: 'Asia/Jerusalem', languages: ['he', 'en'], currency: 'USD', rate: [80, 200], locale: 'he' },
  { country: 'IN', timeZone: 'Asia/Kolkata', languages: ['en', 'hi'], currency: 'USD', rate: [30, 90], locale: 'en_IN' },
  { country: 'BR', timeZone: 'America/Sao_Paulo', languages: ['pt', 'en'], currency: 'USD', rate: [40, 120], locale: 'pt_BR' },
  { country: 'AU', timeZone: 'Australia/Sydney', languages: ['en'], currency: 'AUD', rate: [110, 260], locale: 'en_AU' },
];

const LEAVES = specializations.filter((entry) => !specializations.some((child) => child.parentId === entry.id));

/** Specializations that go together: a leaf, then siblings and cousins in the same area. */
function pickSpecializations(faker: Faker, place: Place): Specialization[] {
  const fitsPlace = (entry: Specialization) =>
    entry.jurisdictions.includes('GLOBAL') ||
    entry.jurisdictions.includes(place.country) ||
    (entry.jurisdictions.includes('EU') && ['DE', 'FR', 'ES', 'NL', 'IT'].includes(place.country)) ||
    place.country === 'MX';
  const pool = LEAVES.filter(fitsPlace);
  const first = faker.helpers.arrayElement(pool);
  const related = pool.filter((entry) => entry.id !== first.id && entry.parentId === first.parentId);
  const others = pool.filter((entry) => entry.id !== first.id && entry.parentId !== first.parentId);
  const count = faker.number.int({ min: 1, max: 4 });
  return [first, ...faker.helpers.arrayElements(related, Math.min(related.length, count - 1)), ...faker.helpers.arrayElements(others, Math.max(0, count - 1 - related.length))].slice(0, count);
}

export function syntheticExpert(faker: Faker, localized: (locale: string) => Faker, index: number, now: Date): ExpertProfile {
  const place = PLACES[index % PLACES.length]!;
  const people = localized(place.locale);
  const name = `${people.person.firstName()} ${people.person.lastName()}`;
  const chosen = pickSpecializations(faker, place);
  const years = faker.number.int({ min: 2, max: 35 });
  const certificationIds = [...new Set(chosen.flatMap((entry) => entry.certifications))].slice(0, 3);
  // Valid for three years from issue, and still valid for one to three years from `now`.
  const expiresYear = now.getUTCFullYear() + faker.number.int({ min: 1, max: 3 });
  const issuedYear = expiresYear - 3;
  const profile: ExpertProfile = {
    id: `seed-expert-${String(index).padStart(6, '0')}`,
    name,
    headline:
      `${chosen[0]!.name} ${faker.helpers.arrayElement(['consultant', 'specialist', 'auditor', 'advisor', 'lead'])} for ${faker.helpers.arrayElement(['manufacturers', 'importers', 'exporters', 'growers', 'processors', 'brands'])}`.slice(
        0,
        160,
      ),
    bio: `${years} years in ${chosen.map((entry) => entry.name).join(', ')}. ${chosen[0]!.description} Works with ${faker.helpers.arrayElements(INDUSTRIES, 2).join(' and ')} companies.`,
    specializations: chosen.map((entry, position) => ({
      id: entry.id,
      years: Math.max(1, years - position * faker.number.int({ min: 0, max: 5 })),
      level: years > 20 ? 'authority' : years > 8 ? 'expert' : 'practitioner',
    })),
    certifications: certificationIds.map((id, position) => {
      const catalogued = certifications.find((entry) => entry.id === id)!;
      return {
        id: `cert-${position + 1}`,
        certificationId: id,
        name: catalogued.name,
        issuer: catalogued.issuer,
        number: `${catalogued.acronyms[0]?.replace(/[^A-Z0-9]/gi, '') || 'CERT'}-${issuedYear}-${faker.string.numeric(6)}`,
        issuedOn: `${issuedYear}-${String(faker.number.int({ min: 1, max: 12 })).padStart(2, '0')}-15`,
        expiresOn: `${expiresYear}-${String(faker.number.int({ min: 1, max: 12 })).padStart(2, '0')}-15`,
      };
    }),
    industries: faker.helpers.arrayElements(INDUSTRIES, faker.number.int({ min: 1, max: 4 })),
    jurisdictions: [...new Set([place.country, ...chosen.flatMap((entry) => entry.jurisdictions).filter((code) => code !== 'GLOBAL')])],
    languages: place.languages,
    country: place.country,
    timeZone: place.timeZone,
    hourlyRate: { amount: faker.number.int({ min: place.rate[0], max: place.rate[1] }), currency: place.currency },
    availability: {
      weekly: faker.helpers
        .arrayElements(['mon', 'tue', 'wed', 'thu', 'fri'] as const, faker.number.int({ min: 2, max: 5 }))
        .map((day) => ({ day, slots: [{ start: '09:00', end: faker.helpers.arrayElement(['12:00', '13:00', '17:00']) }] })),
      exceptions: [],
    },
    published: true,
    verification: { status: 'verified', verifiedAt: now.toISOString() },
    rating: (() => {
      const count = faker.number.int({ min: 0, max: 120 });
      return { average: count ? faker.number.float({ min: 3.2, max: 5, fractionDigits: 2 }) : 0, count };
    })(),
    // Most experts have answered someone already; a few are new and have no figure yet.
    ...(faker.number.int({ min: 0, max: 9 }) > 0
      ? { responsiveness: { medianHours: faker.number.float({ min: 0.5, max: 72, fractionDigits: 1 }), sample: faker.number.int({ min: 1, max: 60 }) } }
      : {}),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  return profile;
}
