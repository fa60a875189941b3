import { WebPubSubGateway } from './adapters/webpubsub/webpubsub-gateway';
import type { Config } from './config';
import { builtOnce } from './container';
import { expertPresence, notifications, realtimeConnections } from './data/containers';
import type { DocumentStore } from './data/document-store';
import { AppError } from './errors';
import { Inbox, type Notification, type NotificationInput, type NotificationRecord } from './domain/notifications/inbox';
import type { RealtimeGateway } from './domain/realtime/gateway';
import { type ConnectionRecord, Presence, type PresenceRecord } from './domain/realtime/presence';
import { createAppLogger } from './observability/app-logger';

/** The real-time part of the composition root: built on first use, once per process. */
export interface Realtime {
  /** Null when no Web PubSub is configured (outside the local host without the setting). */
  gateway: RealtimeGateway | null;
  presence: Presence | null;
  inbox: Inbox;
}

export const getRealtime: () => Promise<Realtime> = builtOnce(buildRealtime);

async function buildRealtime(store: DocumentStore, config: Config): Promise<Realtime> {
  const { connection, hub, leaseSeconds } = config.realtime;
  const logger = createAppLogger();
  const gateway = connection ? new WebPubSubGateway(connection.connectionString, hub) : null;
  const presence = gateway
    ? new Presence(await store.container<ConnectionRecord>(realtimeConnections), await store.container<PresenceRecord>(expertPresence), gateway, leaseSeconds, logger)
    : null;
  return { gateway, presence, inbox: new Inbox(await store.container<NotificationRecord>(notifications), gateway, logger) };
}

/** The gateway and presence, or a 503 naming the missing setting. */
export async function requireRealtime(): Promise<{ gateway: RealtimeGateway; presence: Presence }> {
  const { gateway, presence } = await getRealtime();
  if (!gateway || !presence) throw new AppError('unavailable', 'Real-time is not configured: set WebPubSubConnectionString.');
  return { gateway, presence };
}

/**
 * The one call other features make to tell a user something (a verification result, an RFQ
 * match, a lead, a payout): stored in the user's inbox, then pushed live to their connections.
 * A push that fails is logged and the item still waits in the inbox. Throws only when the
 * store write fails, so a caller that gets a result knows the user will see it. With an `id`,
 * a repeated call stores the item once (see Inbox.notify).
 */
export async function notify(userId: string, notification: NotificationInput, id?: string): Promise<Notification> {
  return (await getRealtime()).inbox.notify(userId, notification, id);
}
