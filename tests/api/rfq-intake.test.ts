import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../shared/domain/rfq/webhook-signature';
import { type RunningHost, waitFor } from '../helpers/host-process';
import { ADMIN, api, login, registerUser, startIdentityHost, type Api } from '../helpers/identity';
import { rfqEvent, enqueueRfqEvent, rfqQueueDrained } from '../helpers/rfq-events';

const enqueue = (event: Record<string, unknown> | string, messageId?: string) => enqueueRfqEvent(host, event, messageId);
const queueDrained = () => rfqQueueDrained(host);

// RFQ intake through the local host: CloudEvents sent onto rfq-events as the RFQ system sends
// them (the host's Service Bus REST "send"), read back through the admin view of an RFQ.

const SECRET = 'rfq-webhook-secret-for-the-test-suite-0123456789';

let host: RunningHost;
let client: Api;
let adminToken: string;

beforeAll(async () => {
  host = await startIdentityHost({ RFQ_WEBHOOK_SECRET: SECRET });
  client = api(host);
  adminToken = (await login(client, ADMIN.email, ADMIN.password)).accessToken;
});
afterAll(async () => {
  await host?.stop();
});

let sequence = 0;
/** A fresh RFQ id per test, so tests do not see each other's RFQs. */
const freshRfqId = () => `RFQ-T${Date.now()}-${sequence++}`;

interface Details {
  rfq: { status: string; version: number; data: { title: string } | null; kept: { version: number }[] };
  events: { eventId: string; outcome: string; reason?: string }[];
}

async function rfqDetails(rfqId: string): Promise<Details | undefined> {
  const response = await client.call('GET', `v1/admin/rfqs/${rfqId}`, { token: adminToken });
  return response.status === 200 ? (response.body as Details) : undefined;
}

/** Waits until the RFQ is stored as `ready` says. */
function rfqWhere(rfqId: string, ready: (details: Details) => boolean, what: string): Promise<Details> {
  return waitFor(
    async () => {
      const details = await rfqDetails(rfqId);
      return details && ready(details) ? details : undefined;
    },
    15_000,
    what,
  );
}

const withRfq = (rfqId: string, kind: 'created' | 'updated' | 'cancelled' | 'closed', data: Record<string, unknown> = {}, attributes: Record<string, unknown> = {}) =>
  rfqEvent(kind, { id: `${rfqId}-${kind}-${String(data.version ?? (kind === 'created' ? 1 : 2))}`, subject: rfqId, data: { rfqId, ...data }, ...attributes });

describe('RFQ intake over Service Bus', () => {
  it('stores the RFQ a created event describes, open at its version', async () => {
    const rfqId = freshRfqId();
    await enqueue(withRfq(rfqId, 'created'));
    const { rfq, events } = await rfqWhere(rfqId, (details) => details.rfq.status === 'open', 'the created RFQ');
    expect(rfq).toMatchObject({
      rfqId,
      status: 'open',
      version: 1,
      data: { title: 'FSVP support for fresh blueberry exports to the US', budget: { amountMinor: 1_200_000, currency: 'USD', unit: 'fixed' }, urgency: 'normal' },
    });
    expect(events).toEqual([expect.objectContaining({ eventId: `${rfqId}-created-1`, outcome: 'applied' })]);
  });

  it('an event delivered many times, at once and later (past the broker window: other message ids), has one effect', async () => {
    const rfqId = freshRfqId();
    const created = withRfq(rfqId, 'created');
    const update = withRfq(rfqId, 'updated', { version: 2, title: 'FSVP and PCQI support' });
    await enqueue(created);
    await rfqWhere(rfqId, (details) => details.rfq.status === 'open', 'the created RFQ');

    // The broker drops a repeat of the same message id within its window ...
    const repeat = await enqueue(created);
    expect(repeat.headers.get('x-local-duplicates')).toBe('1');
    // ... so duplicates that get through carry other message ids: 10 at once, then more one by one.
    await Promise.all(Array.from({ length: 10 }, (_, i) => enqueue(update, `${String(update.id)}-copy-${i}`)));
    await queueDrained();
    for (let i = 0; i < 3; i++) {
      await enqueue(update, `${String(update.id)}-late-${i}`);
      await enqueue(created, `${String(created.id)}-late-${i}`);
      await queueDrained();
    }
    const { rfq, events } = (await rfqDetails(rfqId))!;
    expect(rfq).toMatchObject({ version: 2, data: { title: 'FSVP and PCQI support' } });
    expect(events.map((event) => [event.eventId, event.outcome])).toEqual([
      [created.id, 'applied'],
      [update.id, 'applied'],
    ]);
  });

  it('updates that arrive before their create wait for it and apply in version order; an older one is ignored', async () => {
    const rfqId = freshRfqId();
    await enqueue(withRfq(rfqId, 'updated', { version: 3, title: 'Version three' }));
    await enqueue(withRfq(rfqId, 'updated', { version: 2, title: 'Version two' }));
    await rfqWhere(rfqId, (details) => details.rfq.kept.length === 2, 'both updates kept');
    await enqueue(withRfq(rfqId, 'created'));
    const { rfq } = await rfqWhere(rfqId, (details) => details.rfq.status === 'open', 'the RFQ opened');
    expect(rfq).toMatchObject({ version: 3, data: { title: 'Version three' }, kept: [] });

    await enqueue(withRfq(rfqId, 'updated', { version: 2, title: 'A stale copy' }, { id: `${rfqId}-stale` }));
    await enqueue(withRfq(rfqId, 'cancelled', { version: 4, reason: 'Sourcing postponed' }));
    const ended = await rfqWhere(rfqId, (details) => details.rfq.status === 'cancelled', 'the RFQ cancelled');
    expect(ended.rfq).toMatchObject({ version: 4, data: { title: 'Version three' } });
    expect(ended.events.find((event) => event.eventId === `${rfqId}-stale`)).toMatchObject({ outcome: 'ignored', reason: 'version 2 is not above the stored version 3' });
  });

  it('an invalid message is dead-lettered at once with reason ValidationFailed and the failing fields, and changes nothing', async () => {
    const rfqId = freshRfqId();
    const invalid = withRfq(rfqId, 'created', { budget: { amountMinor: 12.5, currency: 'XYZ', unit: 'fixed' }, urgency: 'asap' }, { id: `${rfqId}-invalid` });
    await enqueue(invalid);
    await enqueue('this is not JSON', `${rfqId}-garbage`);
    const letters = await waitFor(
      async () => {
        const all = (await (await fetch(`${host.baseUrl}/admin/servicebus/rfq-events/deadletter`)).json()) as {
          messageId: string;
          deliveryCount: number;
          deadLetterReason: string;
          deadLetterErrorDescription: string;
        }[];
        const ours = all.filter((letter) => letter.messageId.startsWith(rfqId));
        return ours.length === 2 ? ours : undefined;
      },
      15_000,
      'two dead letters',
    );
    const invalidLetter = letters.find((letter) => letter.messageId === `${rfqId}-invalid`)!;
    expect(invalidLetter).toMatchObject({ deadLetterReason: 'ValidationFailed', deliveryCount: 1 });
    for (const field of ['data.budget.amountMinor', 'data.budget.currency', 'data.urgency']) expect(invalidLetter.deadLetterErrorDescription).toContain(field);
    expect(letters.find((letter) => letter.messageId === `${rfqId}-garbage`)).toMatchObject({
      deadLetterReason: 'ValidationFailed',
      deadLetterErrorDescription: expect.stringMatching(/^Invalid fields: \(body\) \(is not JSON/),
      deliveryCount: 1,
    });
    expect(await rfqDetails(rfqId)).toBeUndefined();
  });
});

describe('signed RFQ events over HTTPS', () => {
  const post = (body: string, signature?: string, contentType = 'application/json') =>
    fetch(`${host.baseUrl}/api/v1/integrations/rfq-events`, { method: 'POST', headers: { 'content-type': contentType, ...(signature ? { 'x-foodxchange-signature': signature } : {}) }, body });
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (body: string, at = now(), secret = SECRET) => signatureHeader(secret, at, new TextEncoder().encode(body));

  it('a correctly signed event is enqueued (202) and intake stores it like any queued event', async () => {
    const rfqId = freshRfqId();
    const body = JSON.stringify(withRfq(rfqId, 'created'));
    const response = await post(body, sign(body));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'accepted', id: `${rfqId}-created-1` });
    const { rfq } = await rfqWhere(rfqId, (details) => details.rfq.status === 'open', 'the signed RFQ stored');
    expect(rfq.version).toBe(1);
    // The same signed request again (a retry) is enqueued again and has no second effect.
    expect((await post(body, sign(body))).status).toBe(202);
    await queueDrained();
    expect((await rfqDetails(rfqId))!.events).toHaveLength(1);
  });

  it('a missing, wrong or stale signature is a 401 problem naming what is wrong, and nothing is enqueued', async () => {
    const rfqId = freshRfqId();
    const body = JSON.stringify(withRfq(rfqId, 'created'));
    const cases: [string | undefined, RegExp][] = [
      [undefined, /x-foodxchange-signature header is missing/],
      [sign(body, now(), 'another-secret-that-is-long-enough-to-be-valid'), /does not match the body/],
      [sign(`${body} `), /does not match the body/],
      [sign(body, now() - 6 * 60), /from the server's clock; at most 300 s/],
      ['t=abc,v1=00', /exactly one t=/],
    ];
    for (const [signature, detail] of cases) {
      const response = await post(body, signature);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('www-authenticate')).toBe('FoodXchange-Signature');
      expect((await response.json()).detail).toMatch(detail);
    }
    await queueDrained();
    expect(await rfqDetails(rfqId)).toBeUndefined();
  });

  it('a signed body that is not JSON is a 400; a signed event that breaks the contract is a 400 naming its fields', async () => {
    const garbage = '{"specversion": "1.0",';
    const notJson = await post(garbage, sign(garbage));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).errors).toEqual([{ field: 'body', message: expect.any(String) }]);

    const invalid = JSON.stringify(withRfq(freshRfqId(), 'created', { urgency: 'asap' }));
    const response = await post(invalid, sign(invalid));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([{ field: 'body.data.urgency', message: expect.any(String) }]);
  });

  it('the admin view of an RFQ is for admins only', async () => {
    const client2 = await registerUser(client, 'client');
    expect((await client.call('GET', 'v1/admin/rfqs/RFQ-NOPE', { token: client2.accessToken })).status).toBe(403);
    expect((await client.call('GET', 'v1/admin/rfqs/RFQ-NOPE')).status).toBe(401);
    expect((await client.call('GET', 'v1/admin/rfqs/RFQ-NOPE', { token: adminToken })).status).toBe(404);
  });
});
