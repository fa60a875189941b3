import type { ContainerDefinition } from '../../data/document-store';

/** Expert profiles, one per expert user: read by id (the public profile, the owner's edits), so the id is the partition. */
export const expertProfiles: ContainerDefinition = {
  name: 'expert-profiles',
  partitionKey: 'id',
  indexes: ['published', 'verification.status', 'country', 'updatedAt'],
};

/** What experts sell: always listed and changed per expert, so the expert is the partition. */
export const expertServices: ContainerDefinition = {
  name: 'expert-services',
  partitionKey: 'expertId',
  indexes: ['specializationId', 'createdAt'],
};

/** Uploaded credential documents, per expert (listed and verified per expert). */
export const expertDocuments: ContainerDefinition = {
  name: 'expert-documents',
  partitionKey: 'expertId',
  indexes: ['status', 'createdAt'],
};

/**
 * Verification requests, per expert (the expert's history, resubmissions); the admin queue
 * reads pending ones across partitions by status and submission time, which is rare and small.
 */
export const verificationRequests: ContainerDefinition = {
  name: 'verification-requests',
  partitionKey: 'expertId',
  indexes: ['status', 'submittedAt', 'supervision.dueBy'],
};

/**
 * Daily analytics counters, one document per expert per UTC day (id = the day): incremented in
 * place, read as a range of days for one expert. Kept two years, so a year can be compared with
 * the one before.
 */
export const expertAnalytics: ContainerDefinition = {
  name: 'expert-analytics',
  partitionKey: 'expertId',
  indexes: ['day'],
  defaultTtlSeconds: 731 * 24 * 3600,
};

/**
 * Credential-expiry notices already sent, one per certification, expiry date and threshold: the
 * daily job creates the notice before it sends, so a threshold is never reminded twice. Kept a
 * while after the expiry it is about; a renewed certification has a new date and new notices.
 */
export const credentialNotices: ContainerDefinition = {
  name: 'credential-notices',
  partitionKey: 'expertId',
  defaultTtlSeconds: 400 * 24 * 3600,
};

/** Clients' reviews of experts: shown per expert, newest first. */
export const expertReviews: ContainerDefinition = {
  name: 'expert-reviews',
  partitionKey: 'expertId',
  indexes: ['createdAt', 'serviceId'],
};

export const expertContainers: readonly ContainerDefinition[] = [expertProfiles, expertServices, expertDocuments, verificationRequests, expertAnalytics, credentialNotices, expertReviews];
