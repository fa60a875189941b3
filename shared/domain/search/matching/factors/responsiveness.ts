import type { Factor } from './factor';

/** Median reply time that halves the score. */
const HALF_SCORE_HOURS = 12;

/** How quickly the expert usually replies (median hours to a first reply); unknown is neutral. */
export const responsiveness: Factor = (expert) => {
  const hours = expert.responseHours;
  if (hours === undefined) return { score: 0.5 };
  const score = 1 / (1 + hours / HALF_SCORE_HOURS);
  if (hours <= 12) return { score, reason: `usually replies within ${Math.max(1, Math.ceil(hours))} ${Math.ceil(hours) <= 1 ? 'hour' : 'hours'}` };
  if (hours > 48) return { score, caution: `usually takes ${Math.round(hours / 24)} days to reply` };
  return { score };
};
