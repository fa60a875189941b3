import type { ContainerDefinition } from '../../data/document-store';

/**
 * The audit trail: one hash chain per calendar month, the month being the partition, so each
 * append is one transactional batch (new record + chain head) inside one partition.
 */
export const auditTrail: ContainerDefinition = {
  name: 'audit',
  partitionKey: 'chain',
  indexes: ['seq', 'at', 'actorId', 'action', 'targetId'],
};
