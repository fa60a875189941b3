import type { Config } from '../../config';
import type { DocumentStore } from '../../data/document-store';
import type { DocumentTextExtractor } from './ports';
import type { AppLogger } from '../../observability/app-logger';
import type { ClientInfo } from '../identity/sessions';
import type { IdentityModule } from '../identity/module';
import type { NotificationsModule } from '../notifications/module';
import type { WorkflowRuntime } from '../workflows/supervision';
import { ExpertAnalytics, type ExpertDay, type ExpertEventKind } from './analytics';
import { credentialNotices, expertAnalytics, expertDocuments, expertProfiles, expertReviews, expertServices, verificationRequests } from './containers';
import { type CredentialNotice, CredentialExpiry } from './credential-expiry';
import { type DocumentFiles, ExpertDocumentService } from './document-service';
import { EventTally } from './event-tally';
import { ExpertProfileService } from './profile-service';
import type { ExpertDocument, ExpertProfile } from './records';
import { type ExpertReview, ExpertReviews } from './reviews';
import { type ExpertService, ExpertServices } from './services';
import { REVIEW_DECISION_EVENT, VERIFICATION_ORCHESTRATION, type VerificationInput, type VerificationRequest, verificationInstanceId } from './verification';
import { VerificationDesk } from './verification-desk';
import { type AuditSink, VerificationService, type VerificationWorkflow } from './verification-service';
import { type VerificationNotifier, VerificationSteps } from './verification-steps';
import { VerificationSupervisor } from './verification-supervisor';

export interface ExpertsPorts {
  store: DocumentStore;
  /** Where documents' files live; throws a 503 when no storage is configured (the rest of the area works). */
  files: () => DocumentFiles;
  extractor: DocumentTextExtractor;
  identity: IdentityModule;
  notifications: NotificationsModule;
  verification: Config['verification'];
  /** How often counted analytics events are written (ANALYTICS_FLUSH_SECONDS). */
  analyticsFlushMs: number;
  /** Services shown to visitors, for trending services: search's, which is built after this area. */
  servicesShown: (expertId: string, serviceIds: readonly string[]) => Promise<void>;
  logger: AppLogger;
  now: () => Date;
}

/** Experts: profiles, documents, verification, what they sell, reviews, analytics and credential expiry. */
export interface ExpertsModule {
  profiles: ExpertProfileService;
  documents: ExpertDocumentService;
  services: ExpertServices;
  reviews: ExpertReviews;
  analytics: ExpertAnalytics;
  /** Analytics events from hot paths (profile views, search and suggestion appearances), counted in memory and written in batches. */
  events: EventTally<ExpertEventKind>;
  /** The verification rules for one call: the workflow runtime it may start or signal, and who is calling (for the audit). */
  verification(runtime: WorkflowRuntime, caller: ClientInfo): VerificationService;
  /** The same for an admin reviewing one request or retrying its workflow. */
  verificationDesk(runtime: WorkflowRuntime, caller: ClientInfo): VerificationDesk;
  verificationSteps: VerificationSteps;
  verificationSupervisor: VerificationSupervisor;
  credentialExpiry: CredentialExpiry;
}

export async function expertsModule(ports: ExpertsPorts): Promise<ExpertsModule> {
  const { store, identity, notifications, now, logger } = ports;
  const profiles = await store.container<ExpertProfile>(expertProfiles);
  const documents = await store.container<ExpertDocument>(expertDocuments);
  const requests = await store.container<VerificationRequest>(verificationRequests);
  const analytics = new ExpertAnalytics(await store.container<ExpertDay>(expertAnalytics), now);
  const events = new EventTally<ExpertEventKind>((expertId, kind, at, count) => analytics.record(expertId, kind, at, count), ports.analyticsFlushMs);
  const notifier = verificationNotifier(identity, notifications);
  const { reminderAfterMs, escalateAfterMs, deadlines } = ports.verification;
  const timings = { reminderAfterMs, escalateAfterMs };
  const verificationSteps = new VerificationSteps({ profiles, documents, requests, blobs: { download: (name) => ports.files().download(name) }, extractor: ports.extractor, notifier, now });
  const countView = async (expertId: string) => {
    events.add(expertId, 'profileView');
    await events.flushIfDue();
  };
  const profileService = new ExpertProfileService({ profiles, documents, countView, now });
  const documentService = new ExpertDocumentService({ documents, profiles, files: ports.files, now });
  const isProfilePublic = (expertId: string) => profileService.isPublic(expertId);
  const verificationSupervisor = new VerificationSupervisor({ requests, steps: verificationSteps, timings, deadlines });
  /** Verification use cases are audited as the admin or expert calling, from where they call. */
  const auditAs =
    (caller: ClientInfo): AuditSink =>
    (event) =>
      identity.service.audit({ ...event, outcome: 'success' }, caller);
  const verification = (runtime: WorkflowRuntime, caller: ClientInfo) =>
    new VerificationService({
      profiles,
      requests,
      workflow: verificationWorkflow(runtime),
      timings,
      deadlines,
      audit: auditAs(caller),
      now,
      warn: (message, details) => logger.warn(message, details),
    });
  return {
    profiles: profileService,
    documents: documentService,
    services: new ExpertServices({ services: await store.container<ExpertService>(expertServices), isProfilePublic, shown: ports.servicesShown, now }),
    reviews: new ExpertReviews(await store.container<ExpertReview>(expertReviews), isProfilePublic),
    analytics,
    events,
    verification,
    verificationDesk: (runtime, caller) =>
      new VerificationDesk({
        verification: verification(runtime, caller),
        profiles: profileService,
        documents: documentService,
        retry: (requestId, at) => verificationSupervisor.retry(requestId, runtime, at),
        audit: auditAs(caller),
        now,
      }),
    verificationSteps,
    verificationSupervisor,
    credentialExpiry: new CredentialExpiry({
      profiles,
      requests,
      notices: await store.container<CredentialNotice>(credentialNotices),
      // The same path as verification outcomes: email through the outbox, and the expert's inbox.
      notifier: { email: notifier.toExpert, whatsapp: (number, text, cause) => notifications.outbox.enqueueWhatsApp({ to: number, text }, cause) },
      logger,
      now,
    }),
  };
}

/** A verification request's orchestration, one instance per request. */
function verificationWorkflow(runtime: WorkflowRuntime): VerificationWorkflow {
  return {
    async start(verification, timings) {
      const input: VerificationInput = { expertId: verification.expertId, requestId: verification.id, submittedAt: verification.submittedAt, timings };
      await runtime.start(VERIFICATION_ORCHESTRATION, verificationInstanceId(verification.id), input);
    },
    exists: async (requestId) => (await runtime.state(verificationInstanceId(requestId))) !== null,
    wake: (requestId, outcome) => runtime.raise(verificationInstanceId(requestId), REVIEW_DECISION_EVENT, { outcome }),
    stop: (requestId, reason) => runtime.terminate(verificationInstanceId(requestId), reason),
  };
}

/**
 * Email through the outbox to the expert's account address (and a notification in their inbox,
 * pushed live when they are connected), and email to every active admin; each once per cause.
 */
function verificationNotifier({ users }: IdentityModule, { outbox, inbox }: NotificationsModule): VerificationNotifier {
  return {
    async toExpert(expertId, subject, text, cause) {
      const user = await users.byId(expertId);
      if (user) await outbox.enqueue({ to: user.email, subject, text }, cause);
      await inbox.notify(expertId, { type: 'verification.outcome', title: subject, body: text, link: '/api/v1/experts/verification' }, cause);
    },
    async toAdmins(subject, text, cause) {
      let continuation: string | undefined;
      do {
        const page = await users.list({ role: 'admin', status: 'active' }, 100, continuation);
        for (const admin of page.items) await outbox.enqueue({ to: admin.email, subject, text }, `${cause}:${admin.id}`);
        continuation = page.continuation ?? undefined;
      } while (continuation);
    },
  };
}
