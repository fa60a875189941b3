import { describe, expect, it } from 'vitest';
import { RecentResults } from '../../../../../shared/domain/search/recent-results';

describe('recent results', () => {
  it('answers a repeated query from memory, drops the least recently used past capacity, and forgets all when the version changes', () => {
    const recent = new RecentResults<string>(2);
    let runs = 0;
    const ask = (key: string, version = 1) => recent.get(key, () => `${key}#${++runs}`, version);
    expect(ask('a')).toBe('a#1');
    expect(ask('b')).toBe('b#2');
    expect(ask('a')).toBe('a#1');
    // "b" is now the least recently used: a third query drops it, not "a".
    expect(ask('c')).toBe('c#3');
    expect(ask('a')).toBe('a#1');
    expect(ask('b')).toBe('b#4');
    expect(ask('b', 2)).toBe('b#5');
    recent.clear();
    expect(ask('b', 2)).toBe('b#6');
  });
});
