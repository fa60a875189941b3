import type { Faker } from '@faker-js/faker';
import type { ExpertProfile } from './records';
import type { ExpertReview } from './reviews';
import type { ExpertService } from './services';
import { inSentence } from './synthetic-services';
import { findSpecialization } from './taxonomy';

/**
 * Deterministic reviews for a synthetic expert whose count and average are the profile's rating:
 * whole-star ratings summing to average × count (rounded), spread around the average. With
 * few reviews an average such as 4.37 cannot be reached exactly (three reviews give 4.33), so
 * the rating returned is the one the reviews really have, to be stored on the profile.
 */

const TITLES: Record<number, string[]> = {
  5: ['Outstanding work', 'Exactly what we needed', 'Highly recommended', 'Saved us weeks', 'Clear, fast and thorough'],
  4: ['Very helpful', 'Solid, practical advice', 'Good value', 'Would hire again', 'Knows the rules well'],
  3: ['Good, with some delays', 'Helpful but generic in places', 'Did the job', 'Mixed experience'],
  2: ['Not what we expected', 'Slow to respond', 'Too generic for our plant'],
  1: ['Disappointing', 'Missed the deadline', 'Would not recommend'],
};

const OPENINGS: Record<number, (topic: string) => string> = {
  5: (topic) => `We brought in an expert for ${topic} and the result went beyond what we asked for.`,
  4: (topic) => `Useful help with ${topic}; the advice was practical and fitted our products.`,
  3: (topic) => `The ${topic} work was correct, though we had to chase for parts of it.`,
  2: (topic) => `We expected more depth on ${topic} for the price.`,
  1: (topic) => `The ${topic} engagement did not deliver what was agreed.`,
};

const DETAILS = [
  'Our auditor had no findings in the areas covered.',
  'Documents arrived on the day promised.',
  'Explained the reasoning, not just the rules, so our team can keep it up.',
  'Calls started on time and ended with clear next steps.',
  'The written report was easy to hand to management.',
  'Answered follow-up questions by email within a day.',
];

/** Whole-star ratings with the given sum, spread around its mean, in random order. */
function ratingsWithSum(faker: Faker, count: number, sum: number): number[] {
  const base = Math.floor(sum / count);
  const ratings = Array.from({ length: count }, (_, index) => (index < sum - base * count ? base + 1 : base));
  // Moving a star from one review to another keeps the sum; a few moves give a natural spread.
  for (let move = 0; move < count; move++) {
    const from = faker.number.int({ min: 0, max: count - 1 });
    const to = faker.number.int({ min: 0, max: count - 1 });
    if (from !== to && ratings[from]! > 1 && ratings[to]! < 5) {
      ratings[from]! -= 1;
      ratings[to]! += 1;
    }
  }
  return faker.helpers.shuffle(ratings);
}

export function syntheticReviews(faker: Faker, expert: ExpertProfile, services: readonly ExpertService[], now: Date): { reviews: ExpertReview[]; rating: ExpertProfile['rating'] } {
  const { count, average } = expert.rating;
  if (count === 0) return { reviews: [], rating: expert.rating };
  const sum = Math.min(5 * count, Math.max(count, Math.round(average * count)));
  const published = services.filter((service) => service.published);
  const areas = expert.specializations.map((declared) => inSentence(findSpecialization(declared.id)?.name ?? declared.id));
  const reviews = ratingsWithSum(faker, count, sum).map((rating): ExpertReview => {
    const service = published.length && faker.datatype.boolean(0.6) ? faker.helpers.arrayElement(published) : undefined;
    const topic = service ? inSentence(service.title) : faker.helpers.arrayElement(areas);
    return {
      id: faker.string.uuid(),
      expertId: expert.id,
      clientName: `${faker.person.firstName()} ${faker.person.lastName().charAt(0)}.`,
      rating,
      title: faker.helpers.arrayElement(TITLES[rating]!),
      text: `${OPENINGS[rating]!(topic)} ${faker.helpers.arrayElement(DETAILS)}`,
      ...(service ? { serviceId: service.id } : {}),
      createdAt: new Date(now.getTime() - faker.number.int({ min: 3_600, max: 730 * 86_400 }) * 1000).toISOString(),
    };
  });
  return { reviews, rating: { average: Math.round((sum / count) * 100) / 100, count } };
}
