import { describe, expect, it } from 'vitest';
import { keepBest, TopPage } from '../../../../../shared/domain/search/ranking';

describe('ranking helpers', () => {
  it('keeps the best scores in their original order', () => {
    const items = [5, 1, 9, 3, 7, 2].map((score, at) => ({ id: `i${at}`, score }));
    expect(keepBest(items, 3).map((item) => item.score)).toEqual([5, 9, 7]);
    expect(keepBest(items, 10)).toBe(items);
  });

  it('pages by value then id and says where the next page starts', () => {
    const page = new TopPage<string>(2);
    for (const [id, value] of [
      ['b', 1],
      ['a', 1],
      ['c', 3],
    ] as const)
      page.offer(id, { value, id });
    expect(page.items).toEqual(['c', 'a']);
    expect(page.next).toEqual({ value: 1, id: 'a' });
  });
});
