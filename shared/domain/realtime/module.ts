import type { DocumentStore } from '../../data/document-store';
import { AppError } from '../../errors';
import type { AppLogger } from '../../observability/app-logger';
import type { Role } from '../identity/principal';
import { expertPresence, realtimeConnections } from './containers';
import type { RealtimeGateway } from './gateway';
import { type ConnectionRecord, Presence, type PresenceRecord } from './presence';
import { RealtimeService } from './realtime-service';

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
  /** The configured service's endpoint, null when none is (shown in the status). */
  endpoint: string | null;
  /** An account's roles, null when there is none: identity's, which the composition gives once identity is built (it is built after this area). */
  rolesOf: (userId: string) => Promise<readonly Role[] | null>;
  logger: AppLogger;
  now: () => Date;
}

/** Live connections, who is online, and the proof that a connection event comes from the service. */
export interface RealtimeModule {
  gateway: RealtimeGateway | null;
  presence: Presence | null;
  authenticateEvent: EventAuthentication;
  /** The gateway and presence, or a 503 naming the missing setting. */
  require(): { gateway: RealtimeGateway; presence: Presence };
  /** Connecting, presence, announcements, the service's events and its status. */
  service: RealtimeService;
}

export async function realtimeModule({ store, gateway, authenticateEvent, leaseSeconds, endpoint, rolesOf, logger, now }: RealtimePorts): Promise<RealtimeModule> {
  const presence = gateway ? new Presence(await store.container<ConnectionRecord>(realtimeConnections), await store.container<PresenceRecord>(expertPresence), gateway, leaseSeconds, logger) : null;
  const require = () => {
    if (!gateway || !presence) realtimeNotConfigured();
    return { gateway, presence };
  };
  return { gateway, presence, authenticateEvent, require, service: new RealtimeService({ require, authenticateEvent, endpoint, rolesOf, now }) };
}

export function realtimeNotConfigured(): never {
  throw new AppError('unavailable', 'Real-time is not configured: set WEBPUBSUB_ENDPOINT (Azure) or WebPubSubConnectionString.');
}
