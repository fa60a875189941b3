import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableStore } from '../../shared/local-host/durable/durable-store';
import { EventType, historyEvent } from '../../shared/local-host/durable/history';
import { tempDir } from '../helpers/host-process';

describe('durable store group commit', () => {
  it('commits the work requested in one turn together, each in its own savepoint', async () => {
    const store = DurableStore.open(path.join(tempDir('fx-durable-store-'), 'hub.sqlite'));
    const event = (name: string) => historyEvent(EventType.EventRaised, new Date(), { Name: name });
    const results = await Promise.allSettled([
      store.commit(() => {
        store.enqueue('a', null, event('first'));
        return 'a done';
      }),
      store.commit(() => {
        store.enqueue('b', null, event('rolled back'));
        throw new Error('this one fails');
      }),
      store.commit(() => {
        store.enqueue('c', null, event('third'));
        return 'c done';
      }),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'a done' },
      { status: 'rejected', reason: new Error('this one fails') },
      { status: 'fulfilled', value: 'c done' },
    ]);
    // The failing work left nothing behind; the others are durable.
    expect(store.visibleMessages('a').map((message) => message.event.Name)).toEqual(['first']);
    expect(store.visibleMessages('b')).toEqual([]);
    expect(store.visibleMessages('c').map((message) => message.event.Name)).toEqual(['third']);
    store.close();
  });
});
