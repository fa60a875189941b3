import { beforeEach, describe, expect, it } from 'vitest';
import type { Container, Document } from '../../../../../shared/data/document-store';
import type { EventDocument, EventStreamDocument } from '../../../../../shared/domain/events/documents';
import { EventOutbox } from '../../../../../shared/domain/events/outbox';
import { EventRelay } from '../../../../../shared/domain/events/relay';
import type { CloudEvent } from '../../../../../shared/domain/events/schemas';
import type { AppError } from '../../../../../shared/errors';
import { createAppLogger } from '../../../../../shared/observability/app-logger';
import { eventContainers, orderPlaced, orderShipped, orders as ordersDefinition, shipments as shipmentsDefinition, testCatalog } from '../../../../helpers/outbound-events';

// The relay against the embedded store, on a clock the test moves: it hands out each subject's
// events in sequence order, holds later ones back while an earlier one is unconfirmed, sends an
// unconfirmed attempt again when its lease ends and then with backoff, parks the last one dead
// for an admin, and learns "published" only from the topic's own copy (confirm).

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 3;
let orders: Container<Document | EventDocument>;
let shipments: Container<Document | EventDocument>;
let clock: number;
let logs: string[];
let outbox: EventOutbox;
let relay: EventRelay;

/** Another instance of the app on the same store. */
const instance = () =>
  new EventRelay(
    new Map([
      [ordersDefinition.name, orders as Container<EventDocument>],
      [shipmentsDefinition.name, shipments as Container<EventDocument>],
    ]),
    testCatalog,
    createAppLogger('debug', (_level, line) => logs.push(line)),
    { maxAttempts: MAX_ATTEMPTS, leaseMs: LEASE_MS, now: () => new Date(clock), random: () => 0 },
  );

beforeEach(async () => {
  ({ orders, shipments } = await eventContainers());
  clock = Date.parse('2026-12-07T10:00:00Z');
  logs = [];
  outbox = new EventOutbox(testCatalog, () => new Date(clock));
  relay = instance();
});

async function place(orderId: string, n: number): Promise<CloudEvent> {
  const { events } = await outbox
    .batch(orders, orderId)
    .stage(orderPlaced, { subject: orderId, cause: `order:${orderId}:${n}`, data: { orderId, totalMinor: n } })
    .commit();
  return events[0]!;
}

const sent = (events: CloudEvent[]) => events.map((event) => `${event.subject}#${Number(event.sequence)}`);
/** What the topic does with what the binding sent: one copy comes back to the relay's subscription. */
const deliver = async (events: CloudEvent[]) => Promise.all(events.map((event) => relay.confirm(JSON.stringify(event))));
const statuses = async () => (await relay.list({ limit: 100 })).items.map((item) => `${item.subject}#${Number(item.sequence)}:${item.status}`).sort();

describe('a pass', () => {
  it('hands out each subject’s events in sequence order, each once until the topic confirms it, then marks it published', async () => {
    for (let n = 1; n <= 3; n++) await place('O-1', n);
    await place('O-2', 1);
    const first = await relay.claimDue();
    expect(sent(first).filter((name) => name.startsWith('O-1'))).toEqual(['O-1#1', 'O-1#2', 'O-1#3']);
    expect(sent(first)).toContain('O-2#1');
    expect(await relay.claimDue()).toEqual([]);
    expect(await deliver(first)).toEqual(['published', 'published', 'published', 'published']);
    expect(await statuses()).toEqual(['O-1#1:published', 'O-1#2:published', 'O-1#3:published', 'O-2#1:published']);
    // A second copy (at-least-once) changes nothing.
    expect(await relay.confirm(first[0])).toBe('duplicate');
    clock += 24 * 3_600_000;
    expect(await relay.claimDue()).toEqual([]);
  });

  it('holds a subject’s later events back while an earlier one is unconfirmed, and sends them once it is, in order', async () => {
    const [one] = [await place('O-1', 1)];
    expect(sent(await relay.claimDue())).toEqual(['O-1#1']);
    await place('O-1', 2);
    await place('O-1', 3);
    await place('O-2', 1);
    expect(sent(await relay.claimDue())).toEqual(['O-2#1']); // other subjects are not held back
    await deliver([one!]);
    expect(sent(await relay.claimDue())).toEqual(['O-1#2', 'O-1#3']);
  });

  it('takes every due subject in one pass, page after page', async () => {
    for (let n = 1; n <= 120; n++) await place(`O-${n}`, 1);
    expect(await relay.claimDue()).toHaveLength(120);
  });

  it('claims a run once when two instances pass at the same moment', async () => {
    for (let n = 1; n <= 5; n++) await place(`O-${n}`, 1);
    const [a, b] = await Promise.all([relay.claimDue(), instance().claimDue()]);
    expect([...sent(a), ...sent(b)].sort()).toEqual(['O-1#1', 'O-2#1', 'O-3#1', 'O-4#1', 'O-5#1']);
  });
});

describe('unconfirmed attempts', () => {
  it('sends an event again as its lease ends (same id and sequence), then with backoff, and parks it dead after the last attempt', async () => {
    const event = await place('O-1', 1);
    expect(await relay.claimDue()).toEqual([event]);
    clock += LEASE_MS - 1;
    expect(await relay.claimDue()).toEqual([]);
    clock += 1;
    expect(await relay.claimDue()).toEqual([event]); // attempt 2, the moment the first lease ended
    const [view] = (await relay.list({ limit: 1 })).items;
    expect(view).toMatchObject({ status: 'pending', attempts: 2, lastError: expect.stringMatching(/^Attempt 1 was not confirmed by the topic within 60 s/) });
    // Attempt 2 is unconfirmed: the third waits its lease and then half a minute (the first backoff step, jitter 0).
    expect(view!.nextAttemptAt).toBe(new Date(clock + LEASE_MS + 30_000).toISOString());
    clock += LEASE_MS + 30_000 - 1;
    expect(await relay.claimDue()).toEqual([]);
    clock += 1;
    expect(await relay.claimDue()).toEqual([event]); // attempt 3, the last
    clock += LEASE_MS + 60_000;
    expect(await relay.claimDue()).toEqual([]);
    expect((await relay.list({ status: 'dead', limit: 10 })).items).toEqual([expect.objectContaining({ id: event.id, attempts: 3, nextAttemptAt: null, deadAt: new Date(clock).toISOString() })]);
    expect(logs.join('\n')).toContain('parked as dead');
  });

  it('lets a dead event hold back only its own subject, until an admin retries it; then it and the waiting ones go in order', async () => {
    const dead = await place('O-1', 1);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await relay.claimDue();
      clock += 24 * 3_600_000;
    }
    await relay.claimDue();
    for (let n = 2; n <= 4; n++) await place('O-1', n);
    await place('O-2', 1);
    const other = await relay.claimDue();
    expect(sent(other)).toEqual(['O-2#1']);
    await deliver(other);
    clock += 24 * 3_600_000;
    expect(await relay.claimDue()).toEqual([]);
    const stream = (await orders.query({ where: { field: 'docType', op: 'eq', value: 'event-stream' }, partitionKey: 'O-1' })).items[0] as EventStreamDocument;
    expect(stream.stream).toEqual({ subject: 'O-1', last: 4, blockedBy: dead.id });

    expect(await relay.retry(dead.id)).toMatchObject({ id: dead.id, status: 'pending', attempts: 0, deadAt: null, nextAttemptAt: new Date(clock).toISOString() });
    expect(sent(await relay.claimDue())).toEqual(['O-1#1', 'O-1#2', 'O-1#3', 'O-1#4']);
  });

  it('takes a late confirmation over the lease: an event the topic had after all is published, even when dead', async () => {
    const event = await place('O-1', 1);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS + 1; attempt++) {
      await relay.claimDue();
      clock += 24 * 3_600_000;
    }
    await place('O-1', 2);
    expect((await relay.list({ status: 'dead', limit: 1 })).items).toHaveLength(1);
    expect(await relay.confirm(event)).toBe('published');
    expect(sent(await relay.claimDue())).toEqual(['O-1#2']);
  });
});

describe('the stream only says when to look', () => {
  /** Makes the subject's stream due now, as a stale or hand-edited one would be. */
  async function forceDue(subject: string) {
    const [stream] = (await orders.query({ where: { field: 'docType', op: 'eq', value: 'event-stream' }, partitionKey: subject })).items as (EventStreamDocument & { _etag: string })[];
    await orders.replace({ ...stream!, stream: { subject, last: stream!.stream.last, nextRunAt: new Date(clock).toISOString() } });
  }

  it('sends nothing of a subject whose first event is in its lease or backoff, or dead, whatever the stream says', async () => {
    await place('O-1', 1);
    await relay.claimDue();
    await place('O-1', 2);
    await forceDue('O-1');
    expect(await relay.claimDue()).toEqual([]);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      clock += 24 * 3_600_000;
      await relay.claimDue();
    }
    expect((await relay.list({ status: 'dead', limit: 1 })).items).toHaveLength(1);
    await forceDue('O-1');
    expect(await relay.claimDue()).toEqual([]);
    const [stream] = (await orders.query({ where: { field: 'docType', op: 'eq', value: 'event-stream' }, partitionKey: 'O-1' })).items as EventStreamDocument[];
    expect(stream!.stream).not.toHaveProperty('nextRunAt');
  });
});

describe('confirmations and admins', () => {
  it('ignores what it did not stage: other types, bad JSON, unknown ids', async () => {
    const event = await place('O-1', 1);
    expect(await relay.confirm('not json')).toBe('unknown');
    expect(await relay.confirm({ ...event, type: 'foodxchange.other.thing' })).toBe('unknown');
    expect(await relay.confirm({ ...event, id: '00000000-0000-8000-8000-000000000000' })).toBe('unknown');
    expect(await relay.confirm({ ...event, source: 'someone-else' })).toBe('unknown');
    expect(await statuses()).toEqual(['O-1#1:pending']);
  });

  it('refuses a retry of an unknown event (404), a published one, or one in its lease (409)', async () => {
    const event = await place('O-1', 1);
    const refusal = (id: string) => relay.retry(id).catch((error: AppError) => error.kind);
    expect(await refusal('00000000-0000-8000-8000-000000000000')).toBe('not_found');
    await relay.claimDue();
    expect(await refusal(event.id)).toBe('conflict');
    await relay.confirm(event);
    expect(await refusal(event.id)).toBe('conflict');
  });

  it('lists newest first across containers, by status, page by page without repeats', async () => {
    for (let n = 1; n <= 5; n++) {
      clock += 1000;
      await place('O-1', n);
      await outbox
        .batch(shipments, 'DHL')
        .stage(orderShipped, { subject: `O-${n}`, cause: `ship:${n}`, data: { orderId: `O-${n}`, carrier: 'DHL' } })
        .commit();
    }
    await deliver((await relay.claimDue()).filter((event) => event.type === orderShipped.type));
    const seen: string[] = [];
    let after: Parameters<EventRelay['list']>[0]['after'];
    do {
      const page = await relay.list({ limit: 3, after });
      seen.push(...page.items.map((item) => `${item.type.split('.').at(-1)}:${item.subject}#${Number(item.sequence)}`));
      after = page.next;
    } while (after);
    // Each second staged one event in each container: newest second first, the two of a second in either order.
    const bySecond = Array.from({ length: 5 }, (_, i) => seen.slice(2 * i, 2 * i + 2).sort());
    expect(bySecond).toEqual(Array.from({ length: 5 }, (_, i) => [`order_placed:O-1#${5 - i}`, `order_shipped:O-${5 - i}#1`]));
    expect((await relay.list({ status: 'published', limit: 100 })).items.map((item) => item.type)).toEqual(Array(5).fill(orderShipped.type));
    expect((await relay.list({ status: 'pending', limit: 100 })).items.map((item) => item.type)).toEqual(Array(5).fill(orderPlaced.type));
  });
});
