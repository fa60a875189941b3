import type { NotificationsModule } from '../notifications/module';
import { buyerFollowCause, invitationCause } from './invitations';
import type { RfqRecord } from './lifecycle';
import type { InvitationNotifier } from './matching';

export interface ExpertContact {
  email: string | null;
  /** Set only when the expert opted in to WhatsApp (their profile's `whatsapp.optIn`). */
  whatsapp: string | null;
}

/** Where an RFQ is read (GET /api/v1/rfqs/{rfqId}); the inbox item links there. */
export const rfqPath = (rfqId: string) => `/api/v1/rfqs/${encodeURIComponent(rfqId)}`;

/**
 * The messages of an invitation: the expert's inbox item (pushed live by the inbox), an email and,
 * when opted in, a WhatsApp message, all under the invitation's cause; and the buyer's one email
 * under the RFQ's. The outbox and the inbox store each cause once, so a re-run sends nothing twice.
 */
export function invitationNotifier({ inbox, outbox }: Pick<NotificationsModule, 'inbox' | 'outbox'>, contactOf: (expertId: string) => Promise<ExpertContact>): InvitationNotifier {
  return {
    async invited(rfq: RfqRecord, expertId: string): Promise<void> {
      const cause = invitationCause(rfq.rfqId, expertId);
      const data = rfq.data!;
      const title = `New request for quote: ${data.title}`;
      const body = `${data.buyer.companyName} invites you to quote by ${data.responseDeadline}.`;
      await inbox.notify(expertId, { type: 'rfq.invitation', title, body, link: rfqPath(rfq.rfqId), data: { rfqId: rfq.rfqId } }, cause);
      const contact = await contactOf(expertId);
      const text = `${body}\n\n${data.title}\n\nRead it and answer at ${rfqPath(rfq.rfqId)}.`;
      if (contact.email) await outbox.enqueue({ to: contact.email, subject: title, text }, cause);
      if (contact.whatsapp) await outbox.enqueueWhatsApp({ to: contact.whatsapp, text: `${title}\n\n${text}` }, cause);
    },
    async buyerFollows(rfq: RfqRecord): Promise<void> {
      const data = rfq.data;
      if (!data) return;
      await outbox.enqueue(
        {
          to: data.buyer.contactEmail,
          subject: `Your request for quote ${rfq.rfqId} is with our experts`,
          text: `Hello ${data.buyer.contactName},\n\nWe invited experts to quote on "${data.title}". Follow it at ${rfqPath(rfq.rfqId)}.`,
        },
        buyerFollowCause(rfq.rfqId),
      );
    },
  };
}
