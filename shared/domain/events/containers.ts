import type { ContainerDefinition } from '../../data/document-store';

/**
 * Where outbound events are stored: in the container of the area whose change causes them, in the
 * same partition as that change, as documents of their own `docType`.
 *
 * Why there: Cosmos DB makes a write atomic only within one container and one partition key (a
 * transactional batch). An event must be written if and only if its cause is, so it has to sit
 * beside its cause; a shared `events` container would need every area's state moved into it.
 * Each subject's sequence counter (its stream document) sits there too, so the number is taken in
 * the same batch. The relay finds what to publish by querying the stream documents of every
 * container that holds event types (`outboundEvents` in catalog.ts names them).
 *
 * What this asks of the area: a subject's events are always staged in the same partition (its
 * counter lives there), and the area's own queries and change-feed readers skip documents whose
 * `docType` is one of `EVENT_DOC_TYPES` (filter on their own fields, or on `docType`).
 */
export const EVENT_DOC_TYPES = { event: 'outbound-event', stream: 'event-stream' } as const;

/** Top-level fields of the event and stream documents, which an area's partition key must not use. */
const RESERVED_FIELDS = new Set(['id', 'docType', 'event', 'relay', 'stream', 'ttl']);

/** The indexes the staging, the relay and the admin list query by, added to the area's own. */
const EVENT_INDEXES = ['docType', 'event.subject', 'event.sequence', 'relay.status', 'relay.stagedAt', 'stream.nextRunAt'];

/**
 * An area's container made able to hold outbound events: the indexes the relay needs, and TTL
 * switched on without a default where the area had none (published events expire on their own;
 * the area's documents, which carry no `ttl`, never do).
 */
export function withOutboundEvents(definition: ContainerDefinition): ContainerDefinition {
  const field = definition.partitionKey.split('.')[0]!;
  if (RESERVED_FIELDS.has(field)) {
    // `id` would make every document a partition of its own, leaving no batch to join.
    throw new Error(`${definition.name} cannot hold outbound events: its partition key "${definition.partitionKey}" is a field the event documents use themselves`);
  }
  return {
    ...definition,
    indexes: [...new Set([...(definition.indexes ?? []), ...EVENT_INDEXES])],
    defaultTtlSeconds: definition.defaultTtlSeconds ?? -1,
  };
}

/** Whether the container was declared `withOutboundEvents`. */
export function holdsOutboundEvents(definition: ContainerDefinition): boolean {
  return EVENT_INDEXES.every((index) => definition.indexes?.includes(index));
}

/** Admins' test events (`foodxchange.marketplace.ping`): no state of their own, so one partition per ping subject. */
export const eventPings: ContainerDefinition = withOutboundEvents({ name: 'event-pings', partitionKey: 'subject' });
