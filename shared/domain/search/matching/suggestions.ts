import type { ExpertEventKind } from '../../experts/analytics';
import type { EventTally } from '../../experts/event-tally';
import type { ExpertIndex } from '../expert-index';
import type { SemanticSignals } from '../semantic';
import { ExposureCounter } from './fairness';
import { suggest, type SuggestResult } from './matcher';
import type { Need } from './need';

/**
 * Suggests experts for a need on this instance's search index, with the semantic signals when
 * configured, and counts a suggestion appearance for each expert suggested (batched). The HTTP
 * endpoint calls it, and RFQ auto-matching is to call it the same way.
 */
export class ExpertSuggestions {
  /** This instance's record of whom it suggested recently (fairness among near-ties). */
  private readonly exposure = new ExposureCounter();

  constructor(
    private readonly deps: {
      experts: () => Promise<ExpertIndex>;
      semantic: SemanticSignals | undefined;
      events: Pick<EventTally<ExpertEventKind>, 'add' | 'flushIfDue'>;
    },
  ) {}

  async suggest(need: Need): Promise<SuggestResult> {
    const { semantic, events } = this.deps;
    const result = await suggest(await this.deps.experts(), need, { exposure: this.exposure, ...(semantic ? { semantic } : {}) });
    for (const item of result.items) events.add(item.expert.id, 'suggestionAppearance');
    await events.flushIfDue();
    return result;
  }
}
