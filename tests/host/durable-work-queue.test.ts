import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../shared/local-host/durable/work-queue';
import { waitFor } from '../helpers/host-process';

/** Work that takes a turn of the event loop, so runs overlap. */
const aTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('durable work queue', () => {
  it('never runs more than its limit at once', async () => {
    let active = 0;
    let peak = 0;
    const queue = new WorkQueue(
      3,
      async () => {
        peak = Math.max(peak, ++active);
        await aTurn();
        active -= 1;
      },
      () => undefined,
    );
    for (let i = 0; i < 20; i++) queue.schedule(`k${i}`);
    await queue.stop().then(() => undefined);
    expect(peak).toBe(3);
  });

  it('runs one key at a time, and again when it was scheduled during its run', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const queue = new WorkQueue(
      10,
      async (key) => {
        runs.push(`start ${key}`);
        if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
        runs.push(`end ${key}`);
      },
      () => undefined,
    );
    queue.schedule('instance');
    queue.schedule('instance'); // in flight: remembered, not run beside it
    queue.schedule('instance'); // remembered once
    expect(runs).toEqual(['start instance']);
    expect(queue.inFlight).toBe(1);
    release();
    await waitFor(() => runs.length === 4 || undefined, 5_000, 'the second run');
    expect(runs).toEqual(['start instance', 'end instance', 'start instance', 'end instance']);
  });

  it('reports a failed run and keeps going', async () => {
    const errors: string[] = [];
    const done: string[] = [];
    const queue = new WorkQueue(
      1,
      async (key) => {
        if (key === 'bad') throw new Error('boom');
        done.push(key);
      },
      (key, error) => errors.push(`${key}: ${(error as Error).message}`),
    );
    queue.schedule('bad');
    queue.schedule('good');
    await waitFor(() => done.length === 1 || undefined, 5_000, 'the good run');
    expect(errors).toEqual(['bad: boom']);
    expect(done).toEqual(['good']);
  });

  it('stop waits for runs in flight and takes no new work', async () => {
    let finished = 0;
    const queue = new WorkQueue(
      2,
      async () => {
        await aTurn();
        finished += 1;
      },
      () => undefined,
    );
    queue.schedule('a');
    queue.schedule('b');
    queue.schedule('c');
    await queue.stop();
    expect(finished).toBe(2);
    queue.schedule('d');
    expect(queue.inFlight).toBe(0); // a run would have started at once
    expect(finished).toBe(2);
  });
});
