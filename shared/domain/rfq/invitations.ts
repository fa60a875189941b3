import type { Document } from '../../data/document-store';

/**
 * One expert invited to one RFQ: a document in the RFQ's partition whose id names the expert, so
 * it is created once however often matching runs, and reading it answers "may this expert see
 * the RFQ" with one point read.
 */
export interface InvitationRecord extends Document {
  kind: 'invitation';
  rfqId: string;
  expertId: string;
  /** The RFQ version whose matching invited the expert. */
  version: number;
  invitedAt: string;
  /** When the expert's inbox item, email and WhatsApp message were queued; null until then. */
  notifiedAt: string | null;
}

export const invitationId = (expertId: string) => `invitation:${expertId}`;

/** The causes of what one invitation sends: the same invitation always names the same messages. */
export const invitationCause = (rfqId: string, expertId: string) => `rfq:${rfqId}:invitation:${expertId}`;
export const buyerFollowCause = (rfqId: string) => `rfq:${rfqId}:buyer-follow`;
export const matchedCause = (rfqId: string, version: number) => `rfq:${rfqId}:matched:v${version}`;
