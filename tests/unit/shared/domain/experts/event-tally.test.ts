import { describe, expect, it } from 'vitest';
import { EventTally } from '../../../../../shared/domain/experts/event-tally';

describe('event tally', () => {
  it('writes one increment per expert, kind and day when the interval has passed', async () => {
    const writes: string[] = [];
    const tally = new EventTally(async (expertId, kind, day, count) => void writes.push(`${expertId} ${kind} ${day.toISOString().slice(0, 10)} ${count}`), 30_000);
    const at = Date.parse('2026-11-25T10:00:00Z');
    for (let i = 0; i < 3; i++) tally.add('e1', 'searchAppearance', at);
    tally.add('e2', 'searchAppearance', at);
    tally.add('e1', 'searchAppearance', Date.parse('2026-11-26T00:00:00Z'));
    tally.add('e1', 'searchAppearance', Date.parse('2026-11-24T23:59:59.999Z'));
    await tally.flushIfDue(Date.now() + 1_000);
    expect(writes).toEqual([]);
    await tally.flushIfDue(Date.now() + 31_000);
    expect(writes).toEqual(['e1 searchAppearance 2026-11-25 3', 'e2 searchAppearance 2026-11-25 1', 'e1 searchAppearance 2026-11-26 1', 'e1 searchAppearance 2026-11-24 1']);
  });

  it('keeps the counts of a failed write for the next flush', async () => {
    let fail = true;
    const written: number[] = [];
    const tally = new EventTally(async (_expert, _kind, _day, count) => {
      if (fail) throw new Error('store down');
      written.push(count);
    }, 0);
    tally.add('e1', 'profileView');
    await tally.flushIfDue();
    tally.add('e1', 'profileView');
    fail = false;
    await tally.flushIfDue();
    expect(written).toEqual([2]);
  });

  it('lets other work run during a long flush of writes that complete at once', async () => {
    const order: string[] = [];
    const tally = new EventTally(async (subject) => void order.push(subject), 0);
    for (let at = 0; at < 100; at++) tally.add(`e${at}`, 'searchAppearance');
    setImmediate(() => order.push('request'));
    await tally.flushIfDue();
    expect(order).toHaveLength(101);
    // The waiting callback ran long before the last write.
    expect(order.indexOf('request')).toBeLessThan(50);
  });
});
