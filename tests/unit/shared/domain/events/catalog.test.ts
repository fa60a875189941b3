import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { allContainers } from '../../../../../shared/data/containers';
import { outboundEvents } from '../../../../../shared/domain/events/catalog';
import { withOutboundEvents } from '../../../../../shared/domain/events/containers';
import { defineOutboundEvent, eventCatalog, outboundEventSchema } from '../../../../../shared/domain/events/event-types';
import { eventsModule } from '../../../../../shared/domain/events/module';
import { createAppLogger } from '../../../../../shared/observability/app-logger';
import { orderPlaced } from '../../../../helpers/outbound-events';

// What the AsyncAPI document is generated from (the catalog of outbound event types), the rules a
// type and its container must meet, and the one type the platform publishes itself: the ping.

describe('the outbound events catalog', () => {
  it('names each type once, under foodxchange., staged in a container the app declares (so Bicep deploys it)', () => {
    const types = outboundEvents.map((type) => type.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toContain('foodxchange.marketplace.ping');
    for (const type of outboundEvents) {
      expect(allContainers).toContainEqual(type.container);
      expect(() => outboundEventSchema(type)).not.toThrow();
    }
    expect(() => eventCatalog(outboundEvents)).not.toThrow();
  });

  it('refuses a type twice, a type outside foodxchange., a container not declared for events, one partitioned by id', () => {
    expect(() => eventCatalog([orderPlaced, orderPlaced])).toThrow(/declared twice/);
    expect(() => defineOutboundEvent({ ...orderPlaced, type: 'order.placed' })).toThrow(/reverse-DNS/);
    expect(() => eventCatalog([{ ...orderPlaced, container: { name: 'plain', partitionKey: 'orderId' } }])).toThrow(/not declared withOutboundEvents/);
    expect(() => withOutboundEvents({ name: 'per-document', partitionKey: 'id' })).toThrow(/cannot hold outbound events/);
    expect(() => withOutboundEvents({ name: 'clash', partitionKey: 'event.owner' })).toThrow(/cannot hold outbound events/);
  });

  it('keeps the area’s own indexes and TTL, adding the relay’s indexes, and turns TTL on without a default where there was none', () => {
    expect(withOutboundEvents({ name: 'a', partitionKey: 'k', indexes: ['status'], defaultTtlSeconds: 60 })).toMatchObject({
      indexes: expect.arrayContaining(['status', 'relay.status', 'stream.nextRunAt']),
      defaultTtlSeconds: 60,
    });
    expect(withOutboundEvents({ name: 'b', partitionKey: 'k' }).defaultTtlSeconds).toBe(-1);
  });

  it('describes each message whole for AsyncAPI: the envelope with the type fixed and its data schema', () => {
    const schema = z.toJSONSchema(outboundEventSchema(orderPlaced)) as { properties: Record<string, { const?: string; properties?: object }>; required: string[] };
    expect(schema.properties.type!.const).toBe('foodxchange.test.order_placed');
    expect(schema.properties.source!.const).toBe('foodxchange/expert-marketplace');
    expect(Object.keys(schema.properties.data!.properties!)).toEqual(['orderId', 'totalMinor']);
    expect(schema.required).toEqual(expect.arrayContaining(['specversion', 'id', 'source', 'type', 'time', 'subject', 'sequence', 'partitionkey', 'data']));
  });
});

describe('the ping', () => {
  it('is staged and relayed like every event: a sequence per ping subject, the same request (cause) once', async () => {
    const module = await eventsModule({ store: SqliteDocumentStore.open(':memory:'), logger: createAppLogger('error'), relay: { maxAttempts: 3, leaseMs: 60_000 } });
    const admin = '5b0a9c6e-2f1d-4e3c-8a7b-6c5d4e3f2a10';
    const first = await module.pings.send(admin, { subject: 'ping' }, 'request-1');
    const replay = await module.pings.send(admin, { subject: 'ping' }, 'request-1');
    const second = await module.pings.send(admin, { subject: 'ping', note: 'checking the analytics subscription' }, 'request-2');
    const other = await module.pings.send(admin, { subject: 'ops' }, 'request-3');
    expect(replay).toEqual(first);
    expect([first, second, other].map((event) => [event.subject, event.sequence])).toEqual([
      ['ping', '0000000000000001'],
      ['ping', '0000000000000002'],
      ['ops', '0000000000000001'],
    ]);
    expect(second).toMatchObject({ type: 'foodxchange.marketplace.ping', data: { requestedBy: admin, note: 'checking the analytics subscription' } });
    const sent = await module.relay.claimDue();
    expect(sent.map((event) => event.id).sort()).toEqual([first.id, second.id, other.id].sort());
    for (const event of sent) expect(await module.relay.confirm(JSON.stringify(event))).toBe('published');
    expect((await module.relay.list({ status: 'published', limit: 10 })).items).toHaveLength(3);
  });
});
