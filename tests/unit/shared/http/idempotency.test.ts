import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../shared/data/document-store';
import { idempotencyKeys } from '../../../../shared/http/containers';
import { AppError } from '../../../../shared/errors';
import { runIdempotent, type IdempotencyRecord, type LeaseClock, type RememberedResponse } from '../../../../shared/http/idempotency';

// The claim's lease, driven by a fake clock: time moves only when the test advances it, and a
// timer runs only then (after the store's writes it started have settled), so nothing waits.
const LEASE_MS = 10_000;

function fakeClock(start: number) {
  let time = start;
  const timers = new Set<{ at: number; fn: () => void }>();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => time,
    after(ms: number, fn: () => void) {
      const timer = { at: time + ms, fn };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
    async advance(ms: number) {
      const end = time + ms;
      for (;;) {
        await settle();
        const due = [...timers].filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers.delete(due);
        time = due.at;
        due.fn();
      }
      time = end;
      await settle();
    },
  };
}

/** A request held open until the test lets it finish, recording the effect id it was given. */
function pending() {
  let finish!: (response: RememberedResponse) => void;
  const runs: string[] = [];
  const execute = ({ effectId }: { effectId: string }) => {
    runs.push(effectId);
    return new Promise<RememberedResponse>((resolve) => (finish = resolve));
  };
  return { execute, runs, finish: (body: string) => finish({ status: 201, headers: { 'content-type': 'application/json' }, body }) };
}

const call = { scope: 'createService\nuser-1', key: 'key-1', request: { body: { title: 'HACCP review' } }, leaseMs: LEASE_MS };
const created = (body: string) => async () => ({ status: 201, headers: {}, body });

let store: SqliteDocumentStore;
let container: Container<IdempotencyRecord>;
let clock: ReturnType<typeof fakeClock>;
/** A crashed process: its clock reads the same time, but its timers never fire, so it never renews. */
let dead: LeaseClock;

beforeEach(async () => {
  store = SqliteDocumentStore.open(':memory:');
  container = await store.container<IdempotencyRecord>(idempotencyKeys);
  clock = fakeClock(Date.parse('2026-11-25T10:00:00Z'));
  dead = { now: clock.now, after: () => () => undefined };
});
afterEach(() => store.close());

/** What a retry by another instance gets: the response, or the 409's Retry-After. */
async function retry(execute: (claim: { effectId: string }) => Promise<RememberedResponse> = created('{"by":"retry"}')) {
  try {
    return await runIdempotent(container, call, execute, clock, 'instance-b');
  } catch (error) {
    if (error instanceof AppError && error.kind === 'conflict') return { retryAfter: error.headers?.['Retry-After'] };
    throw error;
  }
}

describe('the lease of an idempotency claim', () => {
  it('is taken over by the next retry once a crashed owner stops renewing it, with the same effect id', async () => {
    const crashed = pending();
    void runIdempotent(container, call, crashed.execute, dead, 'instance-a');
    await clock.advance(0);
    expect(crashed.runs).toHaveLength(1);

    await clock.advance(LEASE_MS - 1);
    expect(await retry()).toEqual({ retryAfter: '1' });
    await clock.advance(1);
    const takeover = pending();
    const running = retry(takeover.execute);
    await clock.advance(0);
    expect(takeover.runs).toEqual(crashed.runs); // an effect created under this id is created once
    expect(await onlyRecord()).toMatchObject({ state: 'in_progress', owner: 'instance-b' });
    takeover.finish('{"by":"takeover"}');
    expect(await running).toEqual({ response: expect.objectContaining({ body: '{"by":"takeover"}' }), replayed: false });
    expect(await retry()).toEqual({ response: expect.objectContaining({ body: '{"by":"takeover"}' }), replayed: true });
  });

  it('is kept by a live owner that renews it, however long the request runs', async () => {
    const live = pending();
    const running = runIdempotent(container, call, live.execute, clock, 'instance-a');
    // A minute of 5 s steps: without renewals the 10 s lease would have been taken over at once.
    for (let step = 0; step < 12; step++) {
      await clock.advance(5_000);
      const { retryAfter } = (await retry()) as { retryAfter: string };
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(7); // renewed within the last third of the lease
    }
    live.finish('{"by":"owner"}');
    expect((await running).response.body).toBe('{"by":"owner"}');
    expect(live.runs).toHaveLength(1);
    expect(await retry()).toEqual({ response: expect.objectContaining({ body: '{"by":"owner"}' }), replayed: true });
  });

  it('tells a retry how long is left of the lease in Retry-After, rounded up', async () => {
    void runIdempotent(container, call, pending().execute, dead, 'instance-a');
    await clock.advance(0);
    expect(await retry()).toEqual({ retryAfter: '10' });
    await clock.advance(3_500);
    expect(await retry()).toEqual({ retryAfter: '7' });
    await clock.advance(6_000);
    expect(await retry()).toEqual({ retryAfter: '1' });
  });

  it('replays a completed claim long after its lease, without running again', async () => {
    const first = await runIdempotent(container, call, created('{"id":"svc-1"}'), clock, 'instance-a');
    await clock.advance(60 * 60 * 1000);
    let ran = false;
    const again = await retry(async () => ((ran = true), { status: 201, headers: {}, body: 'second' }));
    expect(again).toEqual({ response: first.response, replayed: true });
    expect(ran).toBe(false);
  });

  it('lets an owner that lost its lease finish without overwriting the takeover, and both runs share one effect id', async () => {
    const stalled = pending();
    const original = runIdempotent(container, call, stalled.execute, dead, 'instance-a');
    await clock.advance(LEASE_MS);
    const takeover = await retry(async ({ effectId }) => ({ status: 201, headers: {}, body: `{"id":"${effectId}"}` }));
    stalled.finish(`{"id":"${stalled.runs[0]}"}`);
    expect((await original).response.body).toBe(`{"id":"${stalled.runs[0]}"}`);
    expect(takeover).toEqual({ response: expect.objectContaining({ body: `{"id":"${stalled.runs[0]}"}` }), replayed: false });
    expect(await onlyRecord()).toMatchObject({ state: 'completed', owner: 'instance-b', response: { body: `{"id":"${stalled.runs[0]}"}` } });
  });
});

async function onlyRecord(): Promise<IdempotencyRecord> {
  const { items } = await container.query();
  expect(items).toHaveLength(1);
  return items[0]!;
}
