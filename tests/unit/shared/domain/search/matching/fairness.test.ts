import { describe, expect, it } from 'vitest';
import { ExposureCounter, spreadFairly } from '../../../../../../shared/domain/search/matching/fairness';

const DAY = 86_400_000;

describe('fairness among near-ties', () => {
  it('counts recent suggestions with a daily half-life', () => {
    const counter = new ExposureCounter(DAY);
    counter.record(['a', 'a', 'b'], 0);
    expect(counter.exposure('a', 0)).toBe(2);
    expect(counter.exposure('a', DAY)).toBeCloseTo(1);
    expect(counter.exposure('b', 2 * DAY)).toBeCloseTo(0.25);
    expect(counter.exposure('never', 0)).toBe(0);
    counter.record(['a'], DAY);
    expect(counter.exposure('a', DAY)).toBeCloseTo(2);
  });

  it("puts the less exposed first within 3% of a band's top score, keeping score order on equal exposure", () => {
    const ranked = [
      { id: 'busy', score: 0.8 },
      { id: 'fresh', score: 0.79 },
      { id: 'also-fresh', score: 0.78 },
      { id: 'behind-a-gap', score: 0.7 },
      { id: 'unseen', score: 0.69 },
    ];
    const exposure = new Map([
      ['busy', 5],
      ['behind-a-gap', 3],
    ]);
    const order = spreadFairly(ranked, (id) => exposure.get(id) ?? 0).map((item) => item.id);
    expect(order).toEqual(['fresh', 'also-fresh', 'busy', 'unseen', 'behind-a-gap']);
    // The same state gives the same order.
    expect(spreadFairly(ranked, (id) => exposure.get(id) ?? 0).map((item) => item.id)).toEqual(order);
  });

  it('never lifts anyone across a clear gap, however exposed the leader', () => {
    const ranked = [
      { id: 'leader', score: 0.9 },
      { id: 'next', score: 0.85 },
    ];
    expect(spreadFairly(ranked, (id) => (id === 'leader' ? 100 : 0)).map((item) => item.id)).toEqual(['leader', 'next']);
  });
});
