import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExpertIndex } from '../../../shared/domain/search/expert-index';
import { resetSemanticSignalsForTests, setSemanticSignalsForTests } from '../../../shared/semantic-container';
import { suggestExperts } from '../../../shared/matching-container';
import { expert, parseNeed } from './experts';

// The composition root's wiring: this instance's index, the configured semantic signals, and a
// suggestion appearance counted for each expert suggested. The index and the tally are stand-ins.
const counted: [string, string][] = [];
const index = new ExpertIndex();
index.put(expert('kosher-1', { headline: 'Kosher supervision for dairies', specializations: [{ id: 'kosher', years: 8, level: 'expert' }] }));
index.put(expert('kosher-2', { headline: 'Kosher and halal programmes', specializations: [{ id: 'kosher', years: 3, level: 'practitioner' }] }));

vi.mock('../../../shared/search-container', () => ({ getSearchFeed: async () => ({ experts: index }) }));
vi.mock('../../../shared/expert-services-container', () => ({
  expertEventTally: () => ({ add: (id: string, kind: string) => counted.push([id, kind]), flushIfDue: async () => {} }),
}));

afterEach(() => {
  resetSemanticSignalsForTests();
  counted.length = 0;
});

describe('suggestExperts (composition root)', () => {
  it('runs lexical without semantic signals and counts a suggestion appearance per expert suggested', async () => {
    const result = await suggestExperts(parseNeed({ title: 'Kosher certification for our dairy' }));
    expect(result.mode).toBe('lexical');
    expect(result.items.map((item) => item.expert.id)).toEqual(['kosher-1', 'kosher-2']);
    expect(counted).toEqual([
      ['kosher-1', 'suggestionAppearance'],
      ['kosher-2', 'suggestionAppearance'],
    ]);
  });

  it('uses the semantic signals the container provides', async () => {
    setSemanticSignalsForTests({ similarities: async () => new Map([['kosher-2', 0.95]]) });
    const result = await suggestExperts(parseNeed({ title: 'Kosher certification for our dairy' }));
    expect(result.mode).toBe('hybrid');
    expect(result.items.find((item) => item.expert.id === 'kosher-2')!.breakdown.semantic).toEqual({ score: 0.95, weight: 0.2 });
  });
});
