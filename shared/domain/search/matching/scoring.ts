import type { IndexedExpert } from '../expert-index';
import { availabilityBeforeDeadline } from './factors/availability';
import { certificationFit } from './factors/certifications';
import { expertise } from './factors/expertise';
import type { Factor, MatchContext } from './factors/factor';
import { industryFit } from './factors/industry';
import { languageFit } from './factors/language';
import { priceFit } from './factors/price';
import { rating } from './factors/rating';
import { responsiveness } from './factors/responsiveness';
import { semanticSimilarity } from './factors/semantic';
import { textRelevance } from './factors/text';
import { timeZoneOverlap } from './factors/time-zone-overlap';

/**
 * The soft factors and their weights. What the need is about comes first (words, specializations,
 * credentials: 0.55 together), then whether the expert can take it on for this buyer (language,
 * deadline, budget: 0.30), then track record and convenience (0.15). A factor the need gives
 * nothing to judge by is left out and the rest are re-weighted, so scores stay 0..1. In hybrid
 * mode embedding similarity joins with 0.20.
 */
export const FACTORS = {
  text: { weight: 0.2, score: textRelevance },
  expertise: { weight: 0.25, score: expertise },
  certifications: { weight: 0.1, score: certificationFit },
  language: { weight: 0.15, score: languageFit },
  availability: { weight: 0.08, score: availabilityBeforeDeadline },
  price: { weight: 0.07, score: priceFit },
  rating: { weight: 0.06, score: rating },
  responsiveness: { weight: 0.04, score: responsiveness },
  timeZone: { weight: 0.03, score: timeZoneOverlap },
  industry: { weight: 0.02, score: industryFit },
  semantic: { weight: 0.2, score: semanticSimilarity },
} satisfies Record<string, { weight: number; score: Factor }>;

export type FactorName = keyof typeof FACTORS;
const FACTOR_LIST = Object.entries(FACTORS) as [FactorName, (typeof FACTORS)[FactorName]][];

export interface Scored {
  score: number;
  breakdown: Partial<Record<FactorName, { score: number; weight: number }>>;
  /** Strongest contribution first. */
  reasons: string[];
  cautions: string[];
}

export function scoreExpert(expert: IndexedExpert, context: MatchContext): Scored {
  const breakdown: Scored['breakdown'] = {};
  const said: { text: string; weight: number }[] = [];
  const cautions: string[] = [];
  let total = 0;
  let weights = 0;
  for (const [name, { weight, score }] of FACTOR_LIST) {
    const result = score(expert, context);
    if (!result) continue;
    breakdown[name] = { score: round(result.score), weight };
    total += weight * result.score;
    weights += weight;
    if (result.reason) said.push({ text: result.reason, weight: weight * result.score });
    if (result.caution) cautions.push(result.caution);
  }
  return { score: weights ? total / weights : 0, breakdown, reasons: said.sort((a, b) => b.weight - a.weight).map(({ text }) => text), cautions };
}

export const round = (value: number): number => Math.round(value * 1000) / 1000;
