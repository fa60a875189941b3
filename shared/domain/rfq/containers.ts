import type { ContainerDefinition } from '../../data/document-store';
import { withOutboundEvents } from '../events/containers';

/**
 * RFQs from the trading platform, and beside each one the record of every event it received.
 * Partitioned by the RFQ id: every event names its RFQ, intake reads and writes only that RFQ,
 * and a transactional batch spans one partition, so the RFQ change and the processed-event
 * record (`id` = `event:<CloudEvent id>`) are written together or not at all. The event records
 * are kept as long as the RFQ (no TTL): a duplicate is recognised however late it comes, not just
 * within the broker's duplicate-detection window. Each invitation (`invitation:<expertId>`) lives
 * there too, and so do the RFQ's outbound events (`foodxchange.rfq.matched`), so matching writes
 * the invitations, the RFQ and the event in one batch.
 */
export const rfqs: ContainerDefinition = withOutboundEvents({
  name: 'rfqs',
  partitionKey: 'rfqId',
  // `matching.*`: the sweep finds matchings left open (see matching.ts).
  indexes: ['kind', 'status', 'updatedAt', 'receivedAt', 'expertId', 'invitedAt', 'matching.status', 'matching.dueSince'],
});

export const rfqContainers: readonly ContainerDefinition[] = [rfqs];
