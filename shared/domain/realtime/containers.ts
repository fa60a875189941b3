import type { ContainerDefinition } from '../../data/document-store';

/**
 * Live Web PubSub connections, one document each, partitioned by user: presence counts one
 * user's live connections (one partition); the sweep finds leases about to end across users.
 */
export const realtimeConnections: ContainerDefinition = {
  name: 'realtime-connections',
  partitionKey: 'userId',
  indexes: ['expiresAt'],
  // A safety net only: leases (expiresAt) decide liveness; the sweep deletes what the service no longer has.
  defaultTtlSeconds: 24 * 60 * 60,
};

/** Experts' presence, read by expert id (the watch page, every status change), so the id is the partition. */
export const expertPresence: ContainerDefinition = {
  name: 'expert-presence',
  partitionKey: 'id',
  // Operators list who is shown online, most recent change first.
  indexes: ['published', 'updatedAt'],
};
