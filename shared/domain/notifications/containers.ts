import type { ContainerDefinition } from '../../data/document-store';

/**
 * Outgoing email and WhatsApp (the outbox): one record per cause, written before delivery,
 * retried with backoff until sent or dead. The TTL bounds how long a cause is remembered.
 */
export const outbox: ContainerDefinition = {
  name: 'outbox',
  partitionKey: 'id',
  indexes: ['status', 'createdAt', 'nextAttemptAt'],
  defaultTtlSeconds: 30 * 24 * 60 * 60,
};

/** Each user's notification inbox: listed, counted and marked read per user, so the user is the partition. */
export const notifications: ContainerDefinition = {
  name: 'notifications',
  partitionKey: 'userId',
  indexes: ['createdAt', 'read'],
  defaultTtlSeconds: 180 * 24 * 60 * 60,
};
