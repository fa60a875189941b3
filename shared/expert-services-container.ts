import { getDocumentStore } from './container';
import { expertProfiles, expertServices } from './domain/experts/containers';
import type { ExpertProfile } from './domain/experts/records';
import { type ExpertService, ExpertServices } from './domain/experts/services';

/**
 * The composition root for what experts sell, how they are found (analytics) and credential
 * expiry; profiles, documents and verification have their own (experts-container).
 */

export async function getExpertServices(): Promise<ExpertServices> {
  return new ExpertServices(await getDocumentStore().container<ExpertService>(expertServices));
}

/** Whether anyone may see the expert: the same rule as the public profile (published and verified). */
export async function isProfilePublic(expertId: string): Promise<boolean> {
  const profile = await (await getDocumentStore().container<ExpertProfile>(expertProfiles)).read(expertId, expertId);
  return !!profile && profile.published && profile.verification.status === 'verified';
}
