import { RATING_PRIOR } from '../../searchable-expert';
import { clamp01, type Factor } from './factor';

/** Reviews needed before a rating is quoted as a reason or caution. */
const QUOTED_AFTER = 5;

/**
 * The rating pulled toward the marketplace prior (RATING_PRIOR: 4.2 over 8 reviews), so one
 * five-star review does not outrank a hundred 4.8s; mapped from 1..5 to 0..1.
 */
export const rating: Factor = (expert) => {
  const { average, count, bayesian } = expert.rating;
  const score = clamp01((bayesian - 1) / 4);
  const quoted = () => `rated ${average.toFixed(1)} from ${count} reviews`;
  if (count >= QUOTED_AFTER && average >= 4.5) return { score, reason: quoted() };
  if (count >= QUOTED_AFTER && average < 3.5) return { score, caution: quoted() };
  if (count === 0) return { score, caution: `no reviews yet (counted as the marketplace average, ${RATING_PRIOR.mean})` };
  return { score };
};
