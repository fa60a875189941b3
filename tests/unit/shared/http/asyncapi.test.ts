import { describe, expect, it } from 'vitest';
import { parseRfqEvent, RFQ_EVENT_TYPES } from '../../../../shared/domain/rfq/schemas';
import { buildAsyncApiDocument } from '../../../../shared/http/asyncapi';

// The AsyncAPI 3.0 document, checked for the structure the 3.0.0 specification requires (no
// validator package is installed here; @asyncapi/specs holds the JSON Schema for a full check).

const document = buildAsyncApiDocument();

/** Every `$ref` in the document, with the JSON pointer it names resolved (undefined when it dangles). */
function references(node: unknown, found: { ref: string; target: unknown }[] = []): { ref: string; target: unknown }[] {
  if (Array.isArray(node)) for (const item of node) references(item, found);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      const target = record.$ref
        .slice(2)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], document);
      found.push({ ref: record.$ref, target });
    }
    for (const value of Object.values(record)) references(value, found);
  }
  return found;
}

/** The components of one channel's messages. */
function messagesOf(channel: string): Record<string, unknown>[] {
  const refs = Object.values((document.channels[channel] as { messages: Record<string, { $ref: string }> }).messages);
  return refs.map((ref) => document.components.messages[ref.$ref.split('/').at(-1)!] as Record<string, unknown>);
}

describe('AsyncAPI document', () => {
  it('is an AsyncAPI 3.0.0 document with info, a Service Bus server and the rfq-events channel the app receives from', () => {
    expect(document).toMatchObject({ asyncapi: '3.0.0', info: { title: expect.any(String), version: '1.0.0' }, servers: { serviceBus: { protocol: 'amqp', host: expect.any(String) } } });
    expect(document.channels.rfqEvents).toMatchObject({ address: 'rfq-events' });
    expect(document.operations.receiveRfqEvents).toMatchObject({ action: 'receive', channel: { $ref: '#/channels/rfqEvents' } });
  });

  it('describes the four RFQ event types, each named by its CloudEvent type with a JSON Schema payload', () => {
    const messages = messagesOf('rfqEvents') as { name: string; payload: unknown }[];
    expect(messages.map((message) => message.name).sort()).toEqual(Object.values(RFQ_EVENT_TYPES).sort());
    const created = document.components.schemas.RfqCreated as { required: string[]; properties: Record<string, unknown> };
    expect(created.required).toEqual(['specversion', 'id', 'source', 'type', 'data']);
    expect(created.properties.type).toEqual({ type: 'string', const: 'foodxchange.rfq.created' });
    const data = document.components.schemas.RfqData as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect(data.required.sort()).toEqual(['buyer', 'description', 'responseDeadline', 'rfqId', 'title', 'urgency', 'version']);
    expect(data.properties.urgency!.enum).toEqual(['normal', 'urgent']);
    expect(document.components.schemas.RfqBudget).toMatchObject({ properties: { amountMinor: { type: 'integer' }, unit: { enum: ['fixed', 'hour'] } } });
  });

  it('lists the marketplace-events topic the app sends on, with foodxchange.rfq.matched and its data schema', () => {
    expect(document.channels.marketplaceEvents).toMatchObject({ address: 'marketplace-events', bindings: { amqp: { is: 'routingKey', exchange: { name: 'marketplace-events', type: 'topic' } } } });
    expect(document.operations.publishMarketplaceEvents).toMatchObject({ action: 'send', channel: { $ref: '#/channels/marketplaceEvents' } });
    const matched = messagesOf('marketplaceEvents').find((message) => message.name === 'foodxchange.rfq.matched') as { payload: { properties: Record<string, unknown> } };
    expect(matched.payload.properties.type).toEqual({ type: 'string', const: 'foodxchange.rfq.matched' });
    expect(matched.payload.properties.data).toMatchObject({ required: ['rfqId', 'version', 'invitedExpertIds', 'nearMissCount'] });
  });

  it('every $ref resolves, and the operation lists exactly the channel’s messages', () => {
    const refs = references(document);
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((ref) => ref.target === undefined).map((ref) => ref.ref)).toEqual([]);
    const channelMessages = Object.keys((document.channels.rfqEvents as { messages: object }).messages);
    const operationMessages = (document.operations.receiveRfqEvents as { messages: { $ref: string }[] }).messages.map((ref) => ref.$ref.split('/').at(-1));
    expect(operationMessages).toEqual(channelMessages);
  });

  it("each message's example is a valid event under the schema intake validates with", () => {
    for (const message of messagesOf('rfqEvents') as { examples: { payload: unknown }[] }[]) {
      expect(parseRfqEvent(message.examples[0]!.payload)).toMatchObject({ ok: true });
    }
  });
});
