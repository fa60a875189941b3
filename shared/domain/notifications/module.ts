import type { DocumentStore } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import type { RealtimeGateway } from '../realtime/gateway';
import { notifications, outbox } from './containers';
import { Inbox, type NotificationRecord } from './inbox';
import { Outbox, type OutboxOptions, type OutboxRecord } from './outbox';
import type { Mailer, WhatsAppSender } from './ports';

export interface NotificationsPorts {
  store: DocumentStore;
  mailer: Mailer;
  whatsapp: WhatsAppSender;
  /** Pushes inbox items live; null where no Web PubSub is configured (they wait in the inbox). */
  gateway: RealtimeGateway | null;
  logger: AppLogger;
  outbox: OutboxOptions;
}

/** How the app tells people things: the outbox (email, WhatsApp, each once per cause) and each user's inbox. */
export interface NotificationsModule {
  outbox: Outbox;
  inbox: Inbox;
}

export async function notificationsModule(ports: NotificationsPorts): Promise<NotificationsModule> {
  const { store, logger } = ports;
  return {
    outbox: new Outbox(await store.container<OutboxRecord>(outbox), { email: ports.mailer, whatsapp: ports.whatsapp }, logger, ports.outbox),
    inbox: new Inbox(await store.container<NotificationRecord>(notifications), ports.gateway, logger),
  };
}
