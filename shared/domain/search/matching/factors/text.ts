import type { Factor } from './factor';

/** How well the profile's words match the need's (BM25, relative to the best candidate). */
export const textRelevance: Factor = (expert, context) => {
  const score = context.text.get(expert.id) ?? 0;
  return score >= 0.5 ? { score, reason: 'profile closely matches the words of your request' } : { score };
};
