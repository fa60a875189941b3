import { isSignedByService, serviceTokenVerifier } from './adapters/webpubsub/cloud-events';
import { getAzureCredential } from './azure-credential';
import type { Config } from './config';
import { builtOnce } from './container';
import { expertPresence, realtimeConnections } from './domain/realtime/containers';
import { notifications } from './domain/notifications/containers';
import type { DocumentStore } from './data/document-store';
import { AppError } from './errors';
import { Inbox, type Notification, type NotificationInput, type NotificationRecord } from './domain/notifications/inbox';
import type { RealtimeGateway } from './domain/realtime/gateway';
import { type ConnectionRecord, Presence, type PresenceRecord } from './domain/realtime/presence';
import { createAppLogger } from './observability/app-logger';
import type { RealtimeConnection } from './realtime-config';

/** What the event handler is given to prove an event comes from the configured service. */
export interface EventProof {
  connectionId: string;
  /** `ce-signature`, checked with the access key (locally). */
  signature?: string;
  /** The `Authorization` header, the service's Entra ID token (Azure). */
  authorization: string | null;
}

/** The real-time part of the composition root: built on first use, once per process. */
export interface Realtime {
  /** Null when no Web PubSub is configured (outside the local host without the setting). */
  gateway: RealtimeGateway | null;
  presence: Presence | null;
  inbox: Inbox;
  /** Throws `unauthenticated` unless the event comes from the configured service. */
  authenticateEvent: (proof: EventProof) => Promise<void>;
}

export const getRealtime: () => Promise<Realtime> = builtOnce(buildRealtime);

async function buildRealtime(store: DocumentStore, config: Config): Promise<Realtime> {
  const { connection, hub, leaseSeconds } = config.realtime;
  const logger = createAppLogger();
  // The Web PubSub SDK loads only where it is configured.
  const gateway = connection ? (await import('./adapters/webpubsub/webpubsub-gateway.js')).WebPubSubGateway.connect(connection, hub, getAzureCredential) : null;
  const presence = gateway ? new Presence(await store.container<ConnectionRecord>(realtimeConnections), await store.container<PresenceRecord>(expertPresence), gateway, leaseSeconds, logger) : null;
  return { gateway, presence, inbox: new Inbox(await store.container<NotificationRecord>(notifications), gateway, logger), authenticateEvent: eventAuthentication(connection) };
}

function eventAuthentication(connection: RealtimeConnection | undefined): Realtime['authenticateEvent'] {
  if (!connection) return async () => notConfigured();
  if (connection.kind === 'key') {
    const { accessKey } = connection;
    return async ({ connectionId, signature }) => {
      if (!signature || !isSignedByService(connectionId, signature, accessKey)) {
        throw new AppError('unauthenticated', 'The event is not signed by the configured Web PubSub service (ce-signature).');
      }
    };
  }
  const verify = serviceTokenVerifier(connection.events);
  return async ({ authorization }) => {
    if (!(await verify(authorization))) {
      throw new AppError('unauthenticated', "The event carries no valid token of the configured Web PubSub service's managed identity (Authorization: Bearer).");
    }
  };
}

function notConfigured(): never {
  throw new AppError('unavailable', 'Real-time is not configured: set WEBPUBSUB_ENDPOINT (Azure) or WebPubSubConnectionString.');
}

/** The gateway and presence, or a 503 naming the missing setting. */
export async function requireRealtime(): Promise<{ gateway: RealtimeGateway; presence: Presence }> {
  const { gateway, presence } = await getRealtime();
  if (!gateway || !presence) notConfigured();
  return { gateway, presence };
}

/**
 * The one call other features make to tell a user something (a verification result, an RFQ
 * match, a lead, a payout): stored in the user's inbox, then pushed live to their connections.
 * `cause` names why it exists (`verification:<requestId>:outcome:<userId>`): the same cause
 * again stores nothing new (see Inbox). A push that fails is logged and the item still waits in
 * the inbox. Throws only when the store write fails, so a caller that gets a result knows the
 * user will see it.
 */
export async function notify(userId: string, notification: NotificationInput, cause: string): Promise<Notification> {
  return (await getRealtime()).inbox.notify(userId, notification, cause);
}
