import { beforeEach, describe, expect, it } from 'vitest';
import type { Container, Document } from '../../../../../shared/data/document-store';
import { BatchError } from '../../../../../shared/data/errors';
import type { EventDocument, EventStreamDocument, StagedEventDocument } from '../../../../../shared/domain/events/documents';
import { outboundEventSchema } from '../../../../../shared/domain/events/event-types';
import { EventOutbox, MAX_EVENT_BYTES } from '../../../../../shared/domain/events/outbox';
import { cloudEventSchema } from '../../../../../shared/domain/events/schemas';
import { marketplacePing } from '../../../../../shared/domain/events/ping';
import { eventContainers, type Order, orderPlaced, orderShipped, testCatalog } from '../../../../helpers/outbound-events';

// Staging outbound events in the caller's own transactional batch, against the embedded store:
// ids from causes, written once, a sequence per subject that concurrency can neither repeat nor
// skip, and nothing staged when the caller's write fails.

let orders: Container<Document | EventDocument>;
let shipments: Container<Document | EventDocument>;
let clock: number;
let events: EventOutbox;

beforeEach(async () => {
  ({ orders, shipments } = await eventContainers());
  clock = Date.parse('2026-12-07T10:00:00Z');
  events = new EventOutbox(testCatalog, () => new Date(clock));
});

const order = (orderId: string, status = 'placed'): Order => ({ id: orderId, orderId, status });
const place = (orderId: string, cause = `order:${orderId}:placed`, totalMinor = 1200) =>
  events
    .batch(orders, orderId)
    .add({ op: 'create', document: order(orderId) })
    .stage(orderPlaced, { subject: orderId, cause, data: { orderId, totalMinor } });

async function stored(container = orders) {
  const items = (await container.query({ limit: 1000 })).items as (Document & Partial<EventDocument>)[];
  return {
    events: items.filter((item): item is StagedEventDocument & { _etag: string; _ts: number } => item.docType === 'outbound-event'),
    streams: items.filter((item): item is EventStreamDocument & { _etag: string; _ts: number } => item.docType === 'event-stream'),
    own: items.filter((item) => item.docType === undefined),
  };
}

describe('staging in the caller’s batch', () => {
  it('writes the event with the caller’s change: a CloudEvents 1.0 envelope with the marketplace source and sequence 1', async () => {
    const {
      results,
      events: [event],
    } = await place('O-1').commit();
    expect(results).toEqual([expect.objectContaining({ id: 'O-1', status: 'placed', _etag: expect.any(String) })]);
    expect(event).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: 'foodxchange/expert-marketplace',
      type: 'foodxchange.test.order_placed',
      time: '2026-12-07T10:00:00.000Z',
      subject: 'O-1',
      datacontenttype: 'application/json',
      sequence: '0000000000000001',
      partitionkey: 'O-1',
      data: { orderId: 'O-1', totalMinor: 1200 },
    });
    expect(outboundEventSchema(orderPlaced).parse(event)).toEqual(event);
    const { events: staged, streams, own } = await stored();
    expect(own.map((item) => item.id)).toEqual(['O-1']);
    expect(staged).toEqual([expect.objectContaining({ id: event!.id, orderId: 'O-1', event, relay: expect.objectContaining({ status: 'pending', attempts: 0, cause: 'order:O-1:placed' }) })]);
    expect(streams).toEqual([expect.objectContaining({ orderId: 'O-1', stream: { subject: 'O-1', last: 1, nextRunAt: '2026-12-07T10:00:00.000Z' } })]);
  });

  it('sets the partition key at a nested path, and numbers each subject of one batch on its own', async () => {
    const batch = events.batch(shipments, 'DHL').add({ op: 'create', document: { id: 'S-1', carrier: { id: 'DHL' } } });
    for (const [orderId, carrier] of [
      ['O-1', 'DHL'],
      ['O-2', 'DHL'],
      ['O-1', 'DHL express'],
    ]) {
      batch.stage(orderShipped, { subject: orderId!, cause: `shipment:S-1:${orderId}:${carrier}`, data: { orderId: orderId!, carrier: carrier! } });
    }
    const { events: staged } = await batch.commit();
    expect(staged.map((event) => [event.subject, event.sequence, event.partitionkey])).toEqual([
      ['O-1', '0000000000000001', 'DHL'],
      ['O-2', '0000000000000001', 'DHL'],
      ['O-1', '0000000000000002', 'DHL'],
    ]);
    expect((await stored(shipments)).events.every((item) => (item as unknown as { carrier: { id: string } }).carrier.id === 'DHL')).toBe(true);
  });
});

describe('ids from causes, written once', () => {
  it('derives the id from type and cause: the same cause is the same event, another cause or type another one', async () => {
    const first = (await place('O-1').commit()).events[0]!;
    const again = (
      await events
        .batch(orders, 'O-1')
        .stage(orderPlaced, { subject: 'O-1', cause: 'order:O-1:placed', data: { orderId: 'O-1', totalMinor: 1200 } })
        .commit()
    ).events[0]!;
    expect(again).toEqual(first);
    const other = (
      await events
        .batch(orders, 'O-1')
        .stage(orderPlaced, { subject: 'O-1', cause: 'order:O-1:placed-again', data: { orderId: 'O-1', totalMinor: 1200 } })
        .commit()
    ).events[0]!;
    expect(other.id).not.toBe(first.id);
    const shipped = (
      await events
        .batch(shipments, 'DHL')
        .stage(orderShipped, { subject: 'O-1', cause: 'order:O-1:placed', data: { orderId: 'O-1', carrier: 'DHL' } })
        .commit()
    ).events[0]!;
    expect(shipped.id).not.toBe(first.id);
  });

  it('keeps the first event of a cause staged again (its time, sequence and data), takes no number for it, and still writes the caller’s change', async () => {
    const first = (await place('O-1').commit()).events[0]!;
    clock += 60_000;
    const replay = await events
      .batch(orders, 'O-1')
      .add({ op: 'upsert', document: order('O-1', 'confirmed') })
      .stage(orderPlaced, { subject: 'O-1', cause: 'order:O-1:placed', data: { orderId: 'O-1', totalMinor: 9999 } })
      .commit();
    expect(replay.events).toEqual([first]);
    expect(replay.results).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    const next = (
      await events
        .batch(orders, 'O-1')
        .stage(orderPlaced, { subject: 'O-1', cause: 'order:O-1:second', data: { orderId: 'O-1', totalMinor: 1 } })
        .commit()
    ).events[0]!;
    expect(next.sequence).toBe('0000000000000002');
    expect((await stored()).events).toHaveLength(2);
  });

  it('writes one event when the same cause is staged by 10 batches at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        events
          .batch(orders, 'O-1')
          .stage(orderPlaced, { subject: 'O-1', cause: 'order:O-1:placed', data: { orderId: 'O-1', totalMinor: 1200 } })
          .commit(),
      ),
    );
    expect(new Set(results.map((result) => JSON.stringify(result.events)))).toHaveProperty('size', 1);
    expect((await stored()).events).toHaveLength(1);
    expect((await stored()).streams[0]!.stream.last).toBe(1);
  });
});

describe('sequence per subject', () => {
  it('numbers 20 concurrent stages of one subject 1..20: no number twice, none skipped', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        events
          .batch(orders, 'O-1')
          .add({ op: 'create', document: { id: `line-${i}`, orderId: 'O-1' } })
          .stage(orderPlaced, { subject: 'O-1', cause: `order:O-1:line:${i}`, data: { orderId: 'O-1', totalMinor: i } })
          .commit(),
      ),
    );
    const sequences = results.map((result) => Number(result.events[0]!.sequence)).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const { events: staged, streams, own } = await stored();
    expect(staged.map((item) => Number(item.event.sequence)).sort((a, b) => a - b)).toEqual(sequences);
    expect(streams.map((item) => item.stream.last)).toEqual([20]);
    expect(own).toHaveLength(20);
  });

  it('counts subjects apart, and sorts as a string the way it counts', async () => {
    for (let i = 0; i < 12; i++)
      await events
        .batch(orders, 'O-1')
        .stage(orderPlaced, { subject: 'O-1', cause: `c${i}`, data: { orderId: 'O-1', totalMinor: i } })
        .commit();
    await events
      .batch(orders, 'O-2')
      .stage(orderPlaced, { subject: 'O-2', cause: 'x', data: { orderId: 'O-2', totalMinor: 1 } })
      .commit();
    const { events: staged } = await stored();
    const o1 = staged.filter((item) => item.event.subject === 'O-1').map((item) => item.event.sequence);
    expect(o1.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect([...o1].sort()).toEqual([...o1].sort((a, b) => Number(a) - Number(b)));
    expect(staged.find((item) => item.event.subject === 'O-2')!.event.sequence).toBe('0000000000000001');
  });
});

describe('all or nothing', () => {
  it('stages no event and takes no number when the caller’s write fails, and the next stage gets the next number', async () => {
    await place('O-1').commit();
    // A second "create" of the same order fails the whole batch at the caller's own operation.
    const failed = await place('O-1', 'order:O-1:placed-twice')
      .commit()
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(BatchError);
    expect((failed as BatchError).operationIndex).toBe(0);
    const after = await stored();
    expect(after.events.map((item) => item.relay.cause)).toEqual(['order:O-1:placed']);
    expect(after.streams[0]!.stream.last).toBe(1);
    const next = await events
      .batch(orders, 'O-1')
      .stage(orderPlaced, { subject: 'O-1', cause: 'order:O-1:placed-twice', data: { orderId: 'O-1', totalMinor: 1 } })
      .commit();
    expect(next.events[0]!.sequence).toBe('0000000000000002');
  });

  it('refuses an event type outside the catalog, in another area’s container, with bad data, or too large, before writing anything', async () => {
    const batch = () => events.batch(orders, 'O-1');
    expect(() => batch().stage(marketplacePing, { subject: 'O-1', cause: 'c', data: { requestedBy: '00000000-0000-4000-8000-000000000000', note: null } })).toThrow(
      /not in the outbound events catalog/,
    );
    expect(() => batch().stage(orderShipped, { subject: 'O-1', cause: 'c', data: { orderId: 'O-1', carrier: 'DHL' } })).toThrow(/staged in test-shipments, not test-orders/);
    expect(() => batch().stage(orderPlaced, { subject: 'O-1', cause: 'c', data: { orderId: 'O-1', totalMinor: 1.5 } })).toThrow(/invalid data: totalMinor/);
    expect(() => batch().stage(orderPlaced, { subject: '', cause: 'c', data: { orderId: 'O-1', totalMinor: 1 } })).toThrow(/needs a subject/);
    expect(() => batch().stage(orderPlaced, { subject: 'O-1', cause: 'c', data: { orderId: 'x'.repeat(MAX_EVENT_BYTES), totalMinor: 1 } })).toThrow(/at most 65536 are sent/);
    expect((await orders.query({})).items).toEqual([]);
  });
});

describe('the envelope schema', () => {
  it('accepts what staging writes and refuses what consumers must never see', async () => {
    const event = (await place('O-1').commit()).events[0]!;
    expect(cloudEventSchema.safeParse(event).success).toBe(true);
    for (const broken of [{ specversion: '0.3' }, { source: 'elsewhere' }, { sequence: '1' }, { type: 'order.placed' }, { datacontenttype: 'text/plain' }]) {
      expect(cloudEventSchema.safeParse({ ...event, ...broken }).success, JSON.stringify(broken)).toBe(false);
    }
    expect(outboundEventSchema(orderPlaced).safeParse({ ...event, type: 'foodxchange.test.order_shipped' }).success).toBe(false);
    expect(outboundEventSchema(orderPlaced).safeParse({ ...event, data: { orderId: 'O-1' } }).success).toBe(false);
  });
});
