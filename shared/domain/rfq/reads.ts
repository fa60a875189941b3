import type { Container, Page, Stored } from '../../data/document-store';
import { AppError } from '../../errors';
import type { Principal } from '../identity/principal';
import { type InvitationRecord, invitationId } from './invitations';
import type { NearMiss, RfqRecord } from './lifecycle';
import type { RfqDocument } from './service';

export interface InvitationView {
  rfqId: string;
  version: number;
  invitedAt: string;
  rfq: { title: string; status: RfqRecord['status']; responseDeadline: string; urgency: 'normal' | 'urgent' } | null;
}

/** What an invited expert or an admin reads of an RFQ; near-misses only admins (the buyer's view comes with buyer accounts). */
export interface RfqForViewer {
  rfqId: string;
  status: RfqRecord['status'];
  version: number;
  data: NonNullable<RfqRecord['data']>;
  invitedExpertIds?: string[];
  nearMisses?: NearMiss[];
  matching?: RfqRecord['matching'];
}

/** The read side of invitations: an expert's list, and who may see an RFQ. */
export class RfqReads {
  constructor(private readonly container: Container<RfqDocument>) {}

  /** The expert's invitations, newest first (across RFQs: one query over every RFQ's partition). */
  async invitationsOf(expertId: string, options: { limit: number; continuation?: string }): Promise<Page<InvitationView>> {
    const page = await this.container.query({
      where: {
        and: [
          { field: 'kind', op: 'eq', value: 'invitation' },
          { field: 'expertId', op: 'eq', value: expertId },
        ],
      },
      orderBy: [{ field: 'invitedAt', direction: 'desc' }],
      limit: options.limit,
      ...(options.continuation ? { continuation: options.continuation } : {}),
    });
    const items = await Promise.all(
      (page.items as Stored<InvitationRecord>[]).map(async (invitation): Promise<InvitationView> => {
        const rfq = await this.readRfq(invitation.rfqId);
        const data = rfq?.data;
        return {
          rfqId: invitation.rfqId,
          version: invitation.version,
          invitedAt: invitation.invitedAt,
          rfq: rfq && data ? { title: data.title, status: rfq.status, responseDeadline: data.responseDeadline, urgency: data.urgency } : null,
        };
      }),
    );
    return { items, continuation: page.continuation };
  }

  /** The RFQ for an invited expert or an admin; for anyone else it does not exist (404, so its existence is not disclosed). */
  async forViewer(rfqId: string, viewer: Principal): Promise<RfqForViewer> {
    const admin = viewer.roles.includes('admin');
    const [rfq, invitation] = await Promise.all([this.readRfq(rfqId), admin ? null : this.container.read(rfqId, invitationId(viewer.userId))]);
    if (!rfq?.data || (!admin && invitation?.kind !== 'invitation')) throw new AppError('not_found', `No RFQ ${rfqId} is open to you.`);
    const view: RfqForViewer = { rfqId: rfq.rfqId, status: rfq.status, version: rfq.version, data: rfq.data };
    return admin ? { ...view, invitedExpertIds: rfq.invited, nearMisses: rfq.nearMisses, matching: rfq.matching } : view;
  }

  private async readRfq(rfqId: string): Promise<Stored<RfqRecord> | null> {
    const document = await this.container.read(rfqId, rfqId);
    return document?.kind === 'rfq' ? (document as Stored<RfqRecord>) : null;
  }
}
