import type { Factor } from './factor';

/** Embedding similarity of the need to the profile (hybrid mode only). */
export const semanticSimilarity: Factor = (expert, context) => {
  if (!context.similarities) return undefined;
  const score = context.similarities.get(expert.id) ?? 0;
  return score >= 0.8 ? { score, reason: 'profile is close in meaning to your request' } : { score };
};
