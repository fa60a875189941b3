import type { IndexedExpert } from '../../expert-index';
import type { Need } from '../need';

/**
 * One soft factor's verdict on one expert for one need: a score from 0 to 1, and what a buyer
 * should read about it — a plain-language reason when it speaks for the expert, a caution when
 * it speaks against. A factor that has nothing to judge (no deadline given, no budget) returns
 * undefined and is left out of the weighted sum instead of counting as a zero.
 */
export interface FactorResult {
  score: number;
  reason?: string;
  caution?: string;
}

/** What every factor may read about the request, worked out once per request. */
export interface MatchContext {
  need: Need;
  /**
   * The most specific specializations the need is about (its explicit ones and those read from its
   * text), each weighted: what the title or the explicit list names counts double what only the
   * description mentions ("...under the FSMA rule"), and a broad area half a specific one.
   */
  concepts: { id: string; weight: number }[];
  /** Certifications the need names (its text or its explicit list). */
  namedCertifications: string[];
  /** Text relevance, 0..1 relative to the best candidate, keyed by expert id. */
  text: Map<string, number>;
  /** Embedding similarity 0..1 keyed by expert id, when semantic signals ran. */
  similarities?: Map<string, number>;
  now: Date;
}

export type Factor = (expert: IndexedExpert, context: MatchContext) => FactorResult | undefined;

export const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));
