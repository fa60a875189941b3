import type { Container, DocumentStore } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import { outboundEvents } from './catalog';
import { eventPings } from './containers';
import type { EventDocument } from './documents';
import { eventCatalog, type OutboundEventType } from './event-types';
import { EventOutbox } from './outbox';
import { Pings } from './ping';
import { EventRelay } from './relay';

export interface EventsPorts {
  store: DocumentStore;
  logger: AppLogger;
  /** Attempts before an event is parked as dead (EVENTS_MAX_ATTEMPTS), and how long the topic has to confirm one (EVENTS_LEASE_SECONDS). */
  relay: { maxAttempts: number; leaseMs: number };
  /** The event types; `outboundEvents` unless a test brings its own. */
  catalog?: readonly OutboundEventType[];
  now?: () => Date;
}

/** Outbound events: areas stage them in their own batches (`outbox`), the relay takes them to the topic, admins ping and retry. */
export interface EventsModule {
  outbox: EventOutbox;
  relay: EventRelay;
  pings: Pings;
}

export async function eventsModule(ports: EventsPorts): Promise<EventsModule> {
  const catalog = eventCatalog(ports.catalog ?? outboundEvents);
  const containers = new Map<string, Container<EventDocument>>();
  for (const { container } of catalog.values()) {
    if (!containers.has(container.name)) containers.set(container.name, await ports.store.container<EventDocument>(container));
  }
  const outbox = new EventOutbox(catalog, ports.now);
  return {
    outbox,
    relay: new EventRelay(containers, catalog, ports.logger, { ...ports.relay, now: ports.now }),
    pings: new Pings(outbox, containers.get(eventPings.name) ?? (await ports.store.container(eventPings))),
  };
}
