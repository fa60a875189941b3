import type { DocumentStore } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import type { RealtimeGateway } from '../realtime/gateway';
import { AdminMessages } from './admin-messages';
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
  /** Whether an account exists: identity's answer, which the composition gives once identity is built (it is built after this area). */
  userExists: (userId: string) => Promise<boolean>;
}

/** How the app tells people things: the outbox (email, WhatsApp, each once per cause) and each user's inbox. */
export interface NotificationsModule {
  outbox: Outbox;
  inbox: Inbox;
  adminMessages: AdminMessages;
}

export async function notificationsModule(ports: NotificationsPorts): Promise<NotificationsModule> {
  const { store, logger } = ports;
  const inbox = new Inbox(await store.container<NotificationRecord>(notifications), ports.gateway, logger);
  return {
    outbox: new Outbox(await store.container<OutboxRecord>(outbox), { email: ports.mailer, whatsapp: ports.whatsapp }, logger, ports.outbox),
    inbox,
    adminMessages: new AdminMessages({ inbox, userExists: ports.userExists }),
  };
}
