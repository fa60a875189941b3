import { getDocumentStore } from './container';
import { ExpertAnalytics, type ExpertDay, type ExpertEventKind } from './domain/experts/analytics';
import { expertAnalytics, expertProfiles, expertServices } from './domain/experts/containers';
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

export async function getExpertAnalytics(): Promise<ExpertAnalytics> {
  return new ExpertAnalytics(await getDocumentStore().container<ExpertDay>(expertAnalytics));
}

/**
 * Counts an event for an expert's analytics: the public profile endpoint (profile views), search
 * (appearances), matching (suggestions) and contact requests call this.
 */
export async function recordExpertEvent(expertId: string, kind: ExpertEventKind, at: Date = new Date()): Promise<void> {
  await (await getExpertAnalytics()).record(expertId, kind, at);
}
