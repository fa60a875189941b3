import type { ContainerDefinition } from '../../data/document-store';

/**
 * RFQs from the trading platform, and beside each one the record of every event it received.
 * Partitioned by the RFQ id: every event names its RFQ, intake reads and writes only that RFQ,
 * and a transactional batch spans one partition, so the RFQ change and the processed-event
 * record (`id` = `event:<CloudEvent id>`) are written together or not at all. The event records
 * are kept as long as the RFQ (no TTL): a duplicate is recognised however late it comes, not just
 * within the broker's duplicate-detection window.
 */
export const rfqs: ContainerDefinition = {
  name: 'rfqs',
  partitionKey: 'rfqId',
  indexes: ['kind', 'status', 'updatedAt', 'receivedAt'],
};

export const rfqContainers: readonly ContainerDefinition[] = [rfqs];
