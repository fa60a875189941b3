import { describe, expect, it } from 'vitest';
import { ExpertIndex } from '../../../../../../shared/domain/search/expert-index';
import { ExpertSuggestions } from '../../../../../../shared/domain/search/matching/suggestions';
import type { SemanticSignals } from '../../../../../../shared/domain/search/semantic';
import { expert, parseNeed } from '../../../../../helpers/matching-experts';

// The index and the analytics tally are stand-ins; the matcher is the real one.
const index = new ExpertIndex();
index.put(expert('kosher-1', { headline: 'Kosher supervision for dairies', specializations: [{ id: 'kosher', years: 8, level: 'expert' }] }));
index.put(expert('kosher-2', { headline: 'Kosher and halal programmes', specializations: [{ id: 'kosher', years: 3, level: 'practitioner' }] }));

function suggestions(semantic?: SemanticSignals) {
  const counted: [string, string][] = [];
  const service = new ExpertSuggestions({ experts: async () => index, semantic, events: { add: (id, kind) => counted.push([id, kind]), flushIfDue: async () => {} } });
  return { service, counted };
}

describe('expert suggestions', () => {
  it('runs lexical without semantic signals and counts a suggestion appearance per expert suggested', async () => {
    const { service, counted } = suggestions();
    const result = await service.suggest(parseNeed({ title: 'Kosher certification for our dairy' }));
    expect(result.mode).toBe('lexical');
    expect(result.items.map((item) => item.expert.id)).toEqual(['kosher-1', 'kosher-2']);
    expect(counted).toEqual([
      ['kosher-1', 'suggestionAppearance'],
      ['kosher-2', 'suggestionAppearance'],
    ]);
  });

  it('uses the semantic signals it is given', async () => {
    const { service } = suggestions({ similarities: async () => new Map([['kosher-2', 0.95]]) });
    const result = await service.suggest(parseNeed({ title: 'Kosher certification for our dairy' }));
    expect(result.mode).toBe('hybrid');
    expect(result.items.find((item) => item.expert.id === 'kosher-2')!.breakdown.semantic).toEqual({ score: 0.95, weight: 0.2 });
  });
});
