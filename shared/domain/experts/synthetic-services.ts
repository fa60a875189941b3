import type { Faker } from '@faker-js/faker';
import type { ExpertProfile } from './records';
import type { ExpertService, ServiceInput } from './services';
import { findSpecialization, type Specialization } from './taxonomy';

/**
 * Realistic, deterministic services for a synthetic expert (see synthetic-experts.ts): one to
 * four offers in the expert's specializations and currency, priced from their hourly rate the
 * three ways the services schema allows. Most are published; about one in eight is a draft.
 * Use a faker stream of its own, so adding services never changes the experts.
 */

interface Offer {
  title: (area: string) => string;
  lead: (area: string) => string;
  pricing: 'fixed' | 'hourly' | 'packages';
  /** Hours of work, for fixed prices. */
  hours: [number, number];
  deliverables: string[];
}

const OFFERS: Offer[] = [
  {
    title: (area) => `${area} gap assessment`,
    lead: (area) => `A review of your current ${area} programme against the requirements, with a written gap report and prioritised actions.`,
    pricing: 'fixed',
    hours: [8, 24],
    deliverables: ['Gap report with prioritised actions', 'One-hour review call'],
  },
  {
    title: (area) => `${area} mock audit and readiness review`,
    lead: (area) => `An on-site or remote mock audit for ${area}, run the way the certification body will run it, so the real audit holds no surprises.`,
    pricing: 'packages',
    hours: [0, 0],
    deliverables: [],
  },
  {
    title: (area) => `${area} programme development`,
    lead: (area) => `Your ${area} programme written for your plant and products: procedures, records and the reasoning an inspector will ask for.`,
    pricing: 'packages',
    hours: [0, 0],
    deliverables: [],
  },
  {
    title: (area) => `${area} advisory, by the hour`,
    lead: (area) => `Ongoing answers on ${area} when you need them: calls, document reviews and regulator correspondence, billed by the hour.`,
    pricing: 'hourly',
    hours: [0, 0],
    deliverables: ['Call notes after each session', 'Marked-up documents'],
  },
  {
    title: (area) => `${area} training for your team`,
    lead: (area) => `A practical ${area} training day for supervisors and line staff, built on your own products and records.`,
    pricing: 'fixed',
    hours: [10, 20],
    deliverables: ['Training slides and handouts', 'Attendance records', 'Short knowledge test'],
  },
  {
    title: (area) => `${area} document review`,
    lead: (area) => `A line-by-line review of your ${area} documents (plans, specifications, supplier files) with corrections you can apply directly.`,
    pricing: 'fixed',
    hours: [4, 12],
    deliverables: ['Marked-up documents', 'Summary of findings'],
  },
];

const TIERS = [
  { name: 'basic', hours: 6, days: 5, deliverables: ['Document review', 'Findings summary'] },
  { name: 'standard', hours: 16, days: 12, deliverables: ['Document review', 'Findings summary', 'Written procedures'] },
  { name: 'premium', hours: 36, days: 25, deliverables: ['Document review', 'Findings summary', 'Written procedures', 'On-site visit and staff briefing'] },
] as const;

/** Whole amounts, rounded to tens (hundreds above 2,000), as people price services. */
function price(amount: number): number {
  const step = amount >= 2000 ? 100 : 10;
  return Math.max(step, Math.round(amount / step) * step);
}

function pricingFor(faker: Faker, offer: Offer, rate: number): Pick<ServiceInput, 'pricing' | 'deliveryDays' | 'deliverables'> {
  switch (offer.pricing) {
    case 'fixed':
      return {
        pricing: { model: 'fixed', price: price(rate * faker.number.int({ min: offer.hours[0], max: offer.hours[1] })) },
        deliveryDays: faker.number.int({ min: 3, max: 30 }),
        deliverables: offer.deliverables,
      };
    case 'hourly':
      return {
        pricing: { model: 'hourly', hourlyRate: rate, estimatedHours: faker.number.int({ min: 4, max: 80 }) / 2 },
        deliveryDays: faker.number.int({ min: 5, max: 60 }),
        deliverables: offer.deliverables,
      };
    case 'packages': {
      const tiers = TIERS.slice(0, faker.number.int({ min: 2, max: 3 })).map((tier) => ({
        name: tier.name,
        price: price(rate * tier.hours),
        deliveryDays: tier.days,
        deliverables: [...tier.deliverables],
      }));
      return { pricing: { model: 'packages', tiers } };
    }
  }
}

/** A name as it reads mid-sentence: "Allergen management" → "allergen management", "HACCP" and "EU organic" kept. */
export function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}

export function syntheticServices(faker: Faker, expert: ExpertProfile, now: Date): ExpertService[] {
  const areas = expert.specializations.map((declared) => findSpecialization(declared.id)).filter((entry): entry is Specialization => !!entry);
  const offers = faker.helpers.arrayElements(OFFERS, faker.number.int({ min: 1, max: 4 }));
  return offers.map((offer, position) => {
    const area = areas[position % areas.length]!;
    const name = area.acronyms[0] && !/[(]|\b[A-Z]{2,}\b/.test(area.name) ? `${area.name} (${area.acronyms[0]})` : area.name;
    const at = new Date(now.getTime() - faker.number.int({ min: 1, max: 540 }) * 86_400_000).toISOString();
    return {
      id: faker.string.uuid(),
      expertId: expert.id,
      title: offer.title(name).slice(0, 120),
      description: `${offer.lead(inSentence(area.name))} ${area.description} Delivered by ${expert.name}, ${expert.specializations[0]!.years} years in ${areas[0]!.name}.`,
      specializationId: area.id,
      currency: expert.hourlyRate.currency,
      ...pricingFor(faker, offer, expert.hourlyRate.amount),
      published: faker.number.int({ min: 0, max: 7 }) > 0,
      createdAt: at,
      updatedAt: at,
    };
  });
}
