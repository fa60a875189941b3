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
  indexes: ['status', 'submittedAt'],
};

export const expertContainers: readonly ContainerDefinition[] = [expertProfiles, expertServices, expertDocuments, verificationRequests];
