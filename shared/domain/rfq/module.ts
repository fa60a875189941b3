import type { DocumentStore } from '../../data/document-store';
import { rfqs } from './containers';
import { type RfqDocument, RfqService } from './service';
import { WebhookVerifier } from './webhook-signature';

export interface RfqPorts {
  store: DocumentStore;
  /** The secret signed RFQ events are checked with (RFQ_WEBHOOK_SECRET); undefined when not configured. */
  webhookSecret: string | undefined;
  now: () => Date;
}

/** RFQs from the trading platform: intake (over Service Bus, or signed HTTP that enqueues onto it). */
export interface RfqModule {
  service: RfqService;
  webhook: WebhookVerifier;
}

export async function rfqModule({ store, webhookSecret, now }: RfqPorts): Promise<RfqModule> {
  return {
    service: new RfqService(await store.container<RfqDocument>(rfqs), now),
    webhook: new WebhookVerifier(webhookSecret, now),
  };
}
