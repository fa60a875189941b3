import type { z } from 'zod';
import { outboundEvents } from '../domain/events/catalog';
import { type OutboundEventType, outboundEventSchema } from '../domain/events/event-types';
import { EVENTS_TOPIC } from '../domain/events/schemas';
import { EXAMPLE_RFQ } from '../domain/rfq/example';
import { RFQ_EVENT_SOURCE, RFQ_EVENT_TYPES, RFQ_EVENTS_QUEUE, rfqEventSchemas } from '../domain/rfq/schemas';
import { SchemaCollector } from './openapi';

/**
 * The AsyncAPI 3.0 document of the app's Service Bus channels, generated from the same zod
 * schemas that validate the messages (as the OpenAPI document is from the endpoints' schemas).
 */

interface MessageSpec {
  /** The component name, e.g. `rfqCreated`. */
  key: string;
  /** The CloudEvent `type`. */
  type: string;
  summary: string;
  schema: z.ZodType;
  example?: unknown;
}

interface ChannelSpec {
  key: string;
  /** The queue or topic name. */
  address: string;
  /** A queue has one receiver; a topic copies each message to every subscription. */
  kind: 'queue' | 'topic';
  description: string;
  /** From the app's side: it `receive`s from the channel or `send`s to it. */
  action: 'receive' | 'send';
  operation: { key: string; summary: string; description: string };
  messages: MessageSpec[];
}

const cloudEvent = (kind: keyof typeof RFQ_EVENT_TYPES, data: unknown) => ({
  specversion: '1.0',
  id: `evt-0b9c4e1a-${kind}`,
  source: RFQ_EVENT_SOURCE,
  type: RFQ_EVENT_TYPES[kind],
  time: '2026-12-07T10:00:00Z',
  subject: EXAMPLE_RFQ.rfqId,
  datacontenttype: 'application/json',
  data,
});

/** `foodxchange.rfq.matched` → `rfqMatched`: the component name of an outbound type. */
function messageKey(type: string): string {
  const words = type.split('.').slice(1);
  return words
    .map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('')
    .replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
}

function outboundMessage(type: OutboundEventType): MessageSpec {
  return { key: messageKey(type.type), type: type.type, summary: `${type.summary}. Subject: ${type.subject}`, schema: outboundEventSchema(type) };
}

/** Every channel of the app: RFQ intake's queue, and the topic the event outbox publishes on. */
export const APP_CHANNELS: readonly ChannelSpec[] = [
  {
    key: 'rfqEvents',
    address: RFQ_EVENTS_QUEUE,
    kind: 'queue',
    description:
      'Request-for-quote events from the FoodXchange RFQ system: one CloudEvents 1.0 structured JSON message per event, the Service Bus `messageId` equal to the event `id` ' +
      '(or signed over HTTPS to `POST /api/v1/integrations/rfq-events`, which enqueues it here). Delivery is at least once; the marketplace applies each event id once, ' +
      'in `data.version` order whatever the arrival order (an update before its create waits for it). A message that does not match its schema is dead-lettered at once ' +
      "with `DeadLetterReason` `ValidationFailed` and the failing fields in `DeadLetterErrorDescription`; one that fails for another reason is retried and dead-lettered after the queue's `maxDeliveryCount`.",
    action: 'receive',
    operation: { key: 'receiveRfqEvents', summary: 'RFQ intake', description: 'Creates, updates, cancels or closes the RFQ the event names.' },
    messages: [
      { key: 'rfqCreated', type: RFQ_EVENT_TYPES.created, summary: 'A buyer published an RFQ', schema: rfqEventSchemas.created, example: cloudEvent('created', EXAMPLE_RFQ) },
      {
        key: 'rfqUpdated',
        type: RFQ_EVENT_TYPES.updated,
        summary: 'The RFQ changed (the whole RFQ at its new version)',
        schema: rfqEventSchemas.updated,
        example: cloudEvent('updated', { ...EXAMPLE_RFQ, version: 2 }),
      },
      {
        key: 'rfqCancelled',
        type: RFQ_EVENT_TYPES.cancelled,
        summary: 'The buyer withdrew the RFQ',
        schema: rfqEventSchemas.cancelled,
        example: cloudEvent('cancelled', { rfqId: EXAMPLE_RFQ.rfqId, version: 3, reason: 'Sourcing postponed' }),
      },
      {
        key: 'rfqClosed',
        type: RFQ_EVENT_TYPES.closed,
        summary: 'The RFQ stopped taking proposals',
        schema: rfqEventSchemas.closed,
        example: cloudEvent('closed', { rfqId: EXAMPLE_RFQ.rfqId, version: 3 }),
      },
    ],
  },
  {
    key: 'marketplaceEvents',
    address: EVENTS_TOPIC,
    kind: 'topic',
    description:
      'What the marketplace publishes: CloudEvents 1.0 in structured JSON mode, `source` `foodxchange/expert-marketplace`, written through a transactional outbox. ' +
      'Delivery is at least once (deduplicate on `id`, the same for every copy); `sequence` numbers the events of each `subject` 1, 2, 3 ... without gaps, so order and deduplicate by it.',
    action: 'send',
    operation: { key: 'publishMarketplaceEvents', summary: 'Outbound events', description: 'One message per event, in order per subject for first deliveries.' },
    messages: outboundEvents.map(outboundMessage),
  },
];

export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  servers: Record<string, unknown>;
  channels: Record<string, unknown>;
  operations: Record<string, unknown>;
  components: { messages: Record<string, unknown>; schemas: Record<string, unknown> };
}

export function buildAsyncApiDocument(channels: readonly ChannelSpec[] = APP_CHANNELS): AsyncApiDocument {
  const schemas = new SchemaCollector();
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: {
      title: 'FoodXchange Expert Marketplace events',
      version: '1.0.0',
      description: 'The Service Bus channels between the FoodXchange trading platform and the Expert Marketplace. Every message is a CloudEvents 1.0 event in structured JSON mode.',
    },
    defaultContentType: 'application/json',
    servers: {
      serviceBus: {
        host: '{namespace}.servicebus.windows.net',
        protocol: 'amqp',
        protocolVersion: '1.0',
        description: 'The Azure Service Bus namespace (Entra ID: the sender needs Azure Service Bus Data Sender on the queue)',
        variables: { namespace: { description: 'The namespace name of the environment' } },
      },
    },
    channels: {},
    operations: {},
    components: { messages: {}, schemas: {} },
  };
  for (const channel of channels) {
    document.channels[channel.key] = {
      address: channel.address,
      title: channel.address,
      description: channel.description,
      servers: [{ $ref: '#/servers/serviceBus' }],
      messages: Object.fromEntries(channel.messages.map((message) => [message.key, { $ref: `#/components/messages/${message.key}` }])),
      bindings: {
        amqp:
          channel.kind === 'queue'
            ? { is: 'queue', queue: { name: channel.address }, bindingVersion: '0.3.0' }
            : { is: 'routingKey', exchange: { name: channel.address, type: 'topic' }, bindingVersion: '0.3.0' },
      },
    };
    document.operations[channel.operation.key] = {
      action: channel.action,
      channel: { $ref: `#/channels/${channel.key}` },
      summary: channel.operation.summary,
      description: channel.operation.description,
      messages: channel.messages.map((message) => ({ $ref: `#/channels/${channel.key}/messages/${message.key}` })),
    };
    for (const message of channel.messages) {
      document.components.messages[message.key] = {
        name: message.type,
        title: message.type,
        summary: message.summary,
        contentType: 'application/json',
        payload: schemas.convert(message.schema, 'input'),
        ...(message.example === undefined ? {} : { examples: [{ name: message.key, payload: message.example }] }),
      };
    }
  }
  document.components.schemas = schemas.components();
  return document;
}
