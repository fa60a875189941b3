import { ExposureCounter } from './domain/search/matching/fairness';
import { suggest, type SuggestResult } from './domain/search/matching/matcher';
import type { Need } from './domain/search/matching/need';
import { expertEventTally } from './expert-services-container';
import { getSearchFeed } from './search-container';
import { getSemanticSignals } from './semantic-container';

/** This instance's record of whom it suggested recently (fairness among near-ties). */
const exposure = new ExposureCounter();

/**
 * Suggests experts for a need on this instance's search index, with the semantic signals when
 * configured, and counts a suggestion appearance for each expert suggested (batched). The HTTP
 * endpoint calls it, and RFQ auto-matching is to call it the same way.
 */
export async function suggestExperts(need: Need): Promise<SuggestResult> {
  const feed = await getSearchFeed();
  const signals = getSemanticSignals();
  const result = await suggest(feed.experts, need, { exposure, ...(signals ? { semantic: signals } : {}) });
  const tally = expertEventTally();
  for (const item of result.items) tally.add(item.expert.id, 'suggestionAppearance');
  await tally.flushIfDue();
  return result;
}
