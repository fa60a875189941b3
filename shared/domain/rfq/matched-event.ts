import { z } from 'zod';
import { defineOutboundEvent } from '../events/event-types';
import { rfqs } from './containers';
import { rfqId } from './schemas';

/** Published when matching invited experts to an RFQ (issue 17): the trading platform shows the buyer who was asked. */
export const rfqMatched = defineOutboundEvent({
  type: 'foodxchange.rfq.matched',
  summary: 'Auto-matching invited experts to an RFQ, on its create or on a change to what it asks for',
  subject: 'The RFQ id',
  data: z.object({
    rfqId,
    version: z.int().min(1).describe('The RFQ version this matching was for'),
    invitedExpertIds: z.array(z.uuid()).describe('The experts invited by this matching (new ones only; an update never invites anyone twice)'),
    nearMissCount: z.int().min(0).describe('Experts who came near but miss a hard requirement; shown to the buyer and admins, never invited'),
  }),
  container: rfqs,
});
