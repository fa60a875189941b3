import { expertContainers } from '../domain/experts/containers';
import { searchContainers } from '../domain/search/containers';
import type { ContainerDefinition } from './document-store';

/**
 * Every container the app uses, declared once: the adapters create them idempotently at first
 * use, and `infra/cosmos-containers.json` (the Bicep parameter) must list the same ones
 * (tests/unit/containers.test.ts keeps the two in step; shared/adapters/document-store/cosmos/bicep-containers.ts
 * derives the Bicep entries, policies included). Each entry says why its partition key fits the
 * access pattern; docs/data-model.md describes them for readers.
 */

/** Idempotency-Key records: looked up by one key at a time, so the key is the partition (even spread). */
export const idempotencyKeys: ContainerDefinition = {
  name: 'idempotency-keys',
  partitionKey: 'id',
  // Keys are honoured for 24 hours, then expire by TTL.
  defaultTtlSeconds: 24 * 60 * 60,
};

/** Accounts: read by id on every sign-in and token check, so the id is the partition. */
export const users: ContainerDefinition = {
  name: 'users',
  partitionKey: 'id',
  // The admin list filters by role and status and pages by creation time.
  indexes: ['roles', 'status', 'createdAt', 'emailLower'],
};

/**
 * Email → user id, one document per address: its id is a hash of the normalized address, so
 * creating it is the atomic uniqueness check two concurrent registrations race on.
 */
export const userEmails: ContainerDefinition = { name: 'user-emails', partitionKey: 'id' };

/**
 * Sign-in sessions (refresh-token families): read by id on every refresh and access-token
 * check, so the id is the partition; listed per user across partitions, which is rare.
 */
export const sessions: ContainerDefinition = {
  name: 'sessions',
  partitionKey: 'id',
  indexes: ['userId', 'createdAt'],
  // Each session carries its own ttl (its absolute expiry); this is the upper bound.
  defaultTtlSeconds: 366 * 24 * 60 * 60,
};

/** Single-use tokens (email verification, password reset, 2FA login challenges), keyed by their hash. */
export const authTokens: ContainerDefinition = {
  name: 'auth-tokens',
  partitionKey: 'id',
  // Each token carries its own ttl; nothing lives longer than a day.
  defaultTtlSeconds: 24 * 60 * 60,
};

/** Rate-limit windows: one counter per tier, key and window, incremented in place. */
export const rateLimits: ContainerDefinition = {
  name: 'rate-limits',
  partitionKey: 'id',
  defaultTtlSeconds: 60 * 60,
};

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

/**
 * The audit trail: one hash chain per calendar month, the month being the partition, so each
 * append is one transactional batch (new record + chain head) inside one partition.
 */
export const auditTrail: ContainerDefinition = {
  name: 'audit',
  partitionKey: 'chain',
  indexes: ['seq', 'at', 'actorId', 'action', 'targetId'],
};

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

/** Each user's notification inbox: listed, counted and marked read per user, so the user is the partition. */
export const notifications: ContainerDefinition = {
  name: 'notifications',
  partitionKey: 'userId',
  indexes: ['createdAt', 'read'],
  defaultTtlSeconds: 180 * 24 * 60 * 60,
};

export const allContainers: readonly ContainerDefinition[] = [
  idempotencyKeys,
  users,
  userEmails,
  sessions,
  authTokens,
  rateLimits,
  outbox,
  auditTrail,
  realtimeConnections,
  expertPresence,
  notifications,
  ...expertContainers,
  ...searchContainers,
];
