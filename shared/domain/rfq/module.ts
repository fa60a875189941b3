import type { DocumentStore } from '../../data/document-store';
import type { EventOutbox } from '../events/outbox';
import type { NotificationsModule } from '../notifications/module';
import type { SuggestResult } from '../search/matching/matcher';
import type { Need } from '../search/matching/need';
import { rfqs } from './containers';
import { type ExpertContact, invitationNotifier } from './invitation-notices';
import { RfqMatching } from './matching';
import { RfqReads } from './reads';
import { type RfqDocument, RfqService } from './service';
import { WebhookVerifier } from './webhook-signature';

export interface RfqPorts {
  store: DocumentStore;
  /** The secret signed RFQ events are checked with (RFQ_WEBHOOK_SECRET); undefined when not configured. */
  webhookSecret: string | undefined;
  /** The rest is asked only when matching runs (search and notifications are built on demand). */
  matching: () => Promise<{
    events: EventOutbox;
    suggest: (need: Need) => Promise<SuggestResult>;
    notifications: Pick<NotificationsModule, 'inbox' | 'outbox'>;
    contactOf: (expertId: string) => Promise<ExpertContact>;
  }>;
  /** RFQ_MAX_INVITATIONS. */
  maxInvitations: number;
  now: () => Date;
}

/** RFQs from the trading platform: intake (over Service Bus, or signed HTTP that enqueues onto it), auto-matching, and invitations. */
export interface RfqModule {
  service: RfqService;
  webhook: WebhookVerifier;
  matching: () => Promise<RfqMatching>;
  reads: RfqReads;
}

export async function rfqModule({ store, webhookSecret, now, maxInvitations, matching }: RfqPorts): Promise<RfqModule> {
  const container = await store.container<RfqDocument>(rfqs);
  return {
    service: new RfqService(container, now),
    webhook: new WebhookVerifier(webhookSecret, now),
    matching: async () => {
      const { events, suggest, notifications, contactOf } = await matching();
      return new RfqMatching({ container, events, suggest, notifier: invitationNotifier(notifications, contactOf), maxInvitations, now });
    },
    reads: new RfqReads(container),
  };
}
