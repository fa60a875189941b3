import type { DocumentStore } from '../../data/document-store';
import { AppError } from '../../errors';
import type { AppLogger } from '../../observability/app-logger';
import { expertPresence, realtimeConnections } from './containers';
import type { RealtimeGateway } from './gateway';
import { type ConnectionRecord, Presence, type PresenceRecord } from './presence';

/** What the event handler is given to prove an event comes from the configured service. */
export interface EventProof {
  connectionId: string;
  /** `ce-signature`, checked with the access key (locally). */
  signature?: string;
  /** The `Authorization` header, the service's Entra ID token (Azure). */
  authorization: string | null;
}

/** Throws `unauthenticated` unless the event comes from the configured service. */
export type EventAuthentication = (proof: EventProof) => Promise<void>;

export interface RealtimePorts {
  store: DocumentStore;
  /** Null when no Web PubSub is configured (outside the local host without the setting). */
  gateway: RealtimeGateway | null;
  authenticateEvent: EventAuthentication;
  leaseSeconds: number;
  logger: AppLogger;
}

/** Live connections, who is online, and the proof that a connection event comes from the service. */
export interface RealtimeModule {
  gateway: RealtimeGateway | null;
  presence: Presence | null;
  authenticateEvent: EventAuthentication;
  /** The gateway and presence, or a 503 naming the missing setting. */
  require(): { gateway: RealtimeGateway; presence: Presence };
}

export async function realtimeModule({ store, gateway, authenticateEvent, leaseSeconds, logger }: RealtimePorts): Promise<RealtimeModule> {
  const presence = gateway ? new Presence(await store.container<ConnectionRecord>(realtimeConnections), await store.container<PresenceRecord>(expertPresence), gateway, leaseSeconds, logger) : null;
  return {
    gateway,
    presence,
    authenticateEvent,
    require: () => {
      if (!gateway || !presence) realtimeNotConfigured();
      return { gateway, presence };
    },
  };
}

export function realtimeNotConfigured(): never {
  throw new AppError('unavailable', 'Real-time is not configured: set WEBPUBSUB_ENDPOINT (Azure) or WebPubSubConnectionString.');
}
