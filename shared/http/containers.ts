import type { ContainerDefinition } from '../data/document-store';

/** Idempotency-Key records: looked up by one key at a time, so the key is the partition (even spread). */
export const idempotencyKeys: ContainerDefinition = {
  name: 'idempotency-keys',
  partitionKey: 'id',
  // Keys are honoured for 24 hours, then expire by TTL.
  defaultTtlSeconds: 24 * 60 * 60,
};

/** Rate-limit windows: one counter per tier, key and window, incremented in place. */
export const rateLimits: ContainerDefinition = {
  name: 'rate-limits',
  partitionKey: 'id',
  defaultTtlSeconds: 60 * 60,
};
