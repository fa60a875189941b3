import { getConfig } from './config';
import { getDocumentStore } from './container';
import { ExpertAnalytics, type ExpertDay, type ExpertEventKind } from './domain/experts/analytics';
import { EventTally } from './domain/experts/event-tally';
import { expertAnalytics, credentialNotices, expertProfiles, expertReviews, expertServices, verificationRequests } from './domain/experts/containers';
import { type CredentialNotice, type CredentialNotifier, CredentialExpiry } from './domain/experts/credential-expiry';
import { ExpertProfileService } from './domain/experts/profile-service';
import type { ExpertProfile } from './domain/experts/records';
import { type ExpertReview, ExpertReviews } from './domain/experts/reviews';
import { type ExpertService, ExpertServices } from './domain/experts/services';
import type { VerificationRequest } from './domain/experts/verification';
import { getExperts, outboxNotifier } from './experts-container';
import { getIdentity } from './identity-container';
import { createAppLogger } from './observability/app-logger';

/**
 * The composition root for what experts sell, how they are found (analytics) and credential
 * expiry; profiles, documents and verification have their own (experts-container).
 */

export async function getExpertServices(): Promise<ExpertServices> {
  return new ExpertServices(await getDocumentStore().container<ExpertService>(expertServices));
}

export async function getExpertReviews(): Promise<ExpertReviews> {
  return new ExpertReviews(await getDocumentStore().container<ExpertReview>(expertReviews));
}

export async function getExpertAnalytics(): Promise<ExpertAnalytics> {
  return new ExpertAnalytics(await getDocumentStore().container<ExpertDay>(expertAnalytics));
}

/**
 * Counts an event for an expert's analytics: the public profile endpoint (profile views), search
 * (appearances), matching (suggestions) and contact requests call this.
 */
export async function recordExpertEvent(expertId: string, kind: ExpertEventKind, at: Date = new Date(), count = 1): Promise<void> {
  await (await getExpertAnalytics()).record(expertId, kind, at, count);
}

let tally: EventTally<ExpertEventKind> | undefined;

/**
 * Analytics events from hot paths (profile views, search appearances): counted in memory and
 * written in batches, so a request costs no write per event and a store hiccup never fails it.
 */
export function expertEventTally(): EventTally<ExpertEventKind> {
  tally ??= new EventTally(recordExpertEvent, getConfig().analyticsFlushMs);
  return tally;
}

/** Profiles: the rules behind the profile endpoints. */
export async function expertProfileService(): Promise<ExpertProfileService> {
  const { profiles, documents } = await getExperts();
  const countView = async (expertId: string) => {
    const tally = expertEventTally();
    tally.add(expertId, 'profileView');
    await tally.flushIfDue();
  };
  return new ExpertProfileService({ profiles, documents, countView, now: () => new Date() });
}

/** The daily expiry job on the real clock (unit tests build CredentialExpiry with their own). */
export async function getCredentialExpiry(): Promise<CredentialExpiry> {
  const store = getDocumentStore();
  const { outbox } = await getIdentity();
  const notifier: CredentialNotifier = {
    // The same path as verification outcomes: email through the outbox, and the expert's inbox.
    email: (expertId, subject, text, cause) => outboxNotifier.toExpert(expertId, subject, text, cause),
    whatsapp: (number, text, cause) => outbox.enqueueWhatsApp({ to: number, text }, cause),
  };
  return new CredentialExpiry({
    profiles: await store.container<ExpertProfile>(expertProfiles),
    requests: await store.container<VerificationRequest>(verificationRequests),
    notices: await store.container<CredentialNotice>(credentialNotices),
    notifier,
    logger: createAppLogger(),
    now: () => new Date(),
  });
}
