import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { publicAccess } from '../../../../shared/http/auth';
import type { HttpHandler } from '@azure/functions';
import { testEndpointKit } from '../../../helpers/endpoint-kit';
import { call } from '../../../helpers/http-client';

// A "send a quote" endpoint whose side effect must happen once per Idempotency-Key.
// Only Date is faked: the store's TTL and the claim's lease both read it; timers stay real.
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
let sent: string[] = [];
/** While set, the handler waits for it (work in flight); `entered` is told when the handler starts. */
let gate: Promise<void> | undefined;
let entered: (() => void) | undefined;
let failNext: 'app' | 'unexpected' | undefined;

/** Each case gets a kit over a store of its own. */
const sendQuote = () =>
  testEndpointKit().createHandler({
    name: 'sendQuote',
    method: 'POST',
    route: 'v1/quotes',
    summary: 'Send a quote',
    tags: ['test'],
    auth: publicAccess,
    idempotent: true,
    body: z.object({ rfqId: z.string(), amount: z.number() }),
    responses: { 201: { description: 'Sent' } },
    handler: async ({ body }) => {
      entered?.();
      if (gate) await gate;
      if (failNext === 'app') throw new AppError('conflict', 'RFQ already closed');
      if (failNext === 'unexpected') throw new Error('mail server down');
      sent.push(body.rfqId);
      return { status: 201, body: { quote: sent.length, rfqId: body.rfqId }, headers: { location: `/api/v1/quotes/${sent.length}` } };
    },
  });
let handler: HttpHandler;

const post = (key: string | undefined, body: unknown) =>
  call(handler, {
    method: 'POST',
    url: 'http://localhost/api/v1/quotes',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: { string: JSON.stringify(body) },
  });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-25T10:00:00Z'));
  sent = [];
  gate = undefined;
  entered = undefined;
  failNext = undefined;
  handler = sendQuote();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Idempotency-Key on an idempotent endpoint', () => {
  it('runs the handler once and replays the first response to a retry', async () => {
    const first = await post('key-1', { rfqId: 'RFQ-1', amount: 100 });
    const retry = await post('key-1', { amount: 100, rfqId: 'RFQ-1' }); // same request, keys reordered
    expect(first.response.status).toBe(201);
    expect(retry.response.status).toBe(201);
    expect(retry.response.json()).toEqual(first.response.json());
    expect(retry.response.headers.get('location')).toBe('/api/v1/quotes/1');
    expect(retry.response.headers.get('idempotency-replayed')).toBe('true');
    expect(first.response.headers.get('idempotency-replayed')).toBeNull();
    expect(sent).toEqual(['RFQ-1']);
  });

  it('refuses the same key with a different request (422) and runs nothing', async () => {
    await post('key-2', { rfqId: 'RFQ-2', amount: 100 });
    const reused = await post('key-2', { rfqId: 'RFQ-2', amount: 999 });
    expect(reused.response.status).toBe(422);
    expect(reused.response.json().detail).toMatch(/different request/);
    expect(sent).toEqual(['RFQ-2']);
  });

  it('runs the handler once for two concurrent requests with one key; the other gets 409 with Retry-After', async () => {
    let finish!: () => void;
    gate = new Promise((resolve) => (finish = resolve));
    const requests = [post('key-3', { rfqId: 'RFQ-3', amount: 1 }), post('key-3', { rfqId: 'RFQ-3', amount: 1 })];
    // One is held in the handler, so the first to answer is the other one.
    const loser = await Promise.race(requests);
    finish();
    const [a, b] = await Promise.all(requests);
    expect([a!.response.status, b!.response.status].sort()).toEqual([201, 409]);
    expect(loser.response.status).toBe(409);
    expect(loser.response.headers.get('retry-after')).toBe('10'); // the whole lease (IDEMPOTENCY_LEASE_SECONDS) is left
    expect(sent).toEqual(['RFQ-3']);
  });

  it('forgets keys after 24 hours', async () => {
    await post('key-4', { rfqId: 'RFQ-4', amount: 1 });
    advance(24 * 60 * 60 * 1000 + 1000);
    const later = await post('key-4', { rfqId: 'RFQ-4', amount: 1 });
    expect(later.response.headers.get('idempotency-replayed')).toBeNull();
    expect(sent).toEqual(['RFQ-4', 'RFQ-4']);
  });

  it('does not remember failures: a retry after an error runs again', async () => {
    failNext = 'app';
    expect((await post('key-5', { rfqId: 'RFQ-5', amount: 1 })).response.status).toBe(409);
    failNext = 'unexpected';
    expect((await post('key-5', { rfqId: 'RFQ-5', amount: 1 })).response.status).toBe(500);
    failNext = undefined;
    expect((await post('key-5', { rfqId: 'RFQ-5', amount: 1 })).response.status).toBe(201);
    expect(sent).toEqual(['RFQ-5']);
  });

  it('refuses a malformed key with a 400 naming the header', async () => {
    const response = (await post('bad key with spaces', { rfqId: 'RFQ-7', amount: 1 })).response;
    expect(response.status).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'headers.idempotency-key' })]);
    expect(sent).toEqual([]);
  });

  it('runs every request when no key is sent', async () => {
    await post(undefined, { rfqId: 'RFQ-8', amount: 1 });
    await post(undefined, { rfqId: 'RFQ-8', amount: 1 });
    expect(sent).toEqual(['RFQ-8', 'RFQ-8']);
  });
});
