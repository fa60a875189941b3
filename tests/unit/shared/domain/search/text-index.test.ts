import { describe, expect, it } from 'vitest';
import { TextIndex } from '../../../../../shared/domain/search/text-index';

const build = (docs: { title: string; body: string }[]) => {
  const index = new TextIndex({ fields: { title: 3, body: 1 } });
  const slots = docs.map((doc) => index.add(doc));
  return { index, slots };
};

describe('text index (field-weighted BM25)', () => {
  const docs = [
    { title: 'HACCP plans for seafood', body: 'Hazard analysis for fish processors and canneries' },
    { title: 'Organic certification', body: 'EU organic and USDA organic, with HACCP on the side' },
    { title: 'Allergen labelling', body: 'Labels for the US and the EU' },
    { title: 'Sanitation', body: 'Cleaning and sanitation programmes; no hazard plans' },
  ];

  it('ranks a word in a heavier field above the same word in the body, and needs every word in "all" mode', () => {
    const { index } = build(docs);
    const haccp = index.search('haccp', 'all').sort((a, b) => b.score - a.score);
    expect(haccp.map((match) => match.slot)).toEqual([0, 1]);
    expect(index.search('haccp seafood', 'all').map((match) => match.slot)).toEqual([0]);
    expect(index.search('haccp labels', 'all')).toEqual([]);
  });

  it('in "any" mode returns every document with one of the words, saying how many it has', () => {
    const { index } = build(docs);
    const matches = index.search('hazard organic', 'any');
    expect(Object.fromEntries(matches.map((match) => [match.slot, match.matched]))).toEqual({ 0: 1, 1: 1, 3: 1 });
  });

  it('matches the last word as a prefix from four letters, never shorter or earlier words, and ignores stop words and case', () => {
    const { index } = build(docs);
    expect(index.search('sanit', 'all').map((match) => match.slot)).toEqual([3]);
    expect(index.search('san', 'all')).toEqual([]);
    expect(index.search('sanit cleaning', 'all')).toEqual([]);
    expect(index.search('sanit', 'all', { prefix: false })).toEqual([]);
    expect(index.search('The ORGANIC and the', 'all').map((match) => match.slot)).toEqual([1]);
    expect(index.search('the and of', 'any')).toEqual([]);
  });

  it('a prefix hit scores below the whole word', () => {
    const { index } = build([
      { title: 'label', body: '' },
      { title: 'labelling', body: '' },
    ]);
    const [exact, prefixed] = [...index.search('label', 'all')].sort((a, b) => a.slot - b.slot);
    expect(exact!.score).toBeGreaterThan(prefixed!.score);
  });

  it('forgets removed documents, and compacts dead slots while keeping the live ones findable', () => {
    const many = Array.from({ length: 2000 }, (_, at) => ({ title: `expert ${at % 2 ? 'kosher' : 'halal'}`, body: `number n${at}` }));
    const { index, slots } = build(many);
    slots.filter((slot) => slot % 3 === 0).forEach((slot) => index.remove(slot));
    expect(index.search('n3', 'all')).toEqual([]);
    expect(index.wasteful).toBe(true);
    const renumbered = index.compact();
    expect(index.wasteful).toBe(false);
    expect(renumbered[3]).toBe(-1);
    const found = index.search('n1999', 'all');
    expect(found.map((match) => match.slot)).toEqual([renumbered[1999]]);
    expect(index.search('kosher', 'all')).toHaveLength(many.filter((_, at) => at % 2 === 1 && at % 3 !== 0).length);
    expect(index.size).toBe(2000 - Math.ceil(2000 / 3));
  });

  it('finds the same matches and scores when a rare word narrows a common one to a few documents (postings searched, not walked)', () => {
    // Every document says "food"; one in 100 says "acidified"; one in 7 "juice" (some of the acidified ones too).
    const many = Array.from({ length: 3000 }, (_, at) => ({ title: `food ${at % 100 === 0 ? 'acidified' : ''}`, body: `${at % 7 === 0 ? 'juice' : ''} food plant` }));
    const { index } = build(many);
    const found = index.search('acidified juice food', 'all');
    const expected = many.flatMap((doc, at) => (doc.title.includes('acidified') && doc.body.includes('juice') ? [at] : []));
    expect(found.map((match) => match.slot).sort((a, b) => a - b)).toEqual(expected);
    // The same scores as each document alone would get from a walk: compare with one word at a time.
    const single = (word: string) => new Map(index.search(word, 'all', { prefix: false }).map((match) => [match.slot, match.score]));
    const [acidified, juice, food] = [single('acidified'), single('juice'), single('food')];
    for (const match of found) expect(match.score).toBeCloseTo(acidified.get(match.slot)! + juice.get(match.slot)! + food.get(match.slot)!, 10);
  });

  it('in "any" mode, a word most documents have only scores what rarer words found', () => {
    const many = Array.from({ length: 1000 }, (_, at) => ({ title: at < 10 ? 'defense plan' : 'plant', body: 'food' }));
    const { index } = build(many);
    const matches = index.search('food defense', 'any');
    expect(matches.map((match) => match.slot).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(matches.every((match) => match.matched === 2)).toBe(true);
    // Alone, or when nothing rarer matched, the common word still finds its documents.
    expect(index.search('food', 'any')).toHaveLength(1000);
    expect(index.search('food zanzibar', 'any')).toHaveLength(1000);
  });
});
