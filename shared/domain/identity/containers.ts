import type { ContainerDefinition } from '../../data/document-store';

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
