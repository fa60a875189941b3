import type { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { getConfig } from './config';
import { clientInfo } from './http/client-info';
import { VerificationService, type AuditSink, type VerificationWorkflow } from './domain/experts/verification-service';
import { getBlobStorage, getDocumentStore, getDocumentTextExtractor } from './container';
import type { Container } from './data/document-store';
import { expertDocuments, expertProfiles, verificationRequests } from './domain/experts/containers';
import type { ExpertDocument, ExpertProfile } from './domain/experts/records';
import { REVIEW_DECISION_EVENT, VERIFICATION_ORCHESTRATION, verificationInstanceId, type VerificationInput, type VerificationRequest } from './domain/experts/verification';
import { VerificationSteps, type VerificationNotifier } from './domain/experts/verification-steps';
import { durableRuntime } from './adapters/durable/durable-runtime';
import { VerificationSupervisor } from './domain/experts/verification-supervisor';
import { ExpertDocumentService } from './domain/experts/document-service';
import { AppError } from './errors';
import { createAppLogger } from './observability/app-logger';
import { getIdentity } from './identity-container';
import { notify } from './realtime-container';

/** The experts part of the composition root. */
export interface Experts {
  profiles: Container<ExpertProfile>;
  documents: Container<ExpertDocument>;
  requests: Container<VerificationRequest>;
}

export async function getExperts(): Promise<Experts> {
  const store = getDocumentStore();
  return {
    profiles: await store.container<ExpertProfile>(expertProfiles),
    documents: await store.container<ExpertDocument>(expertDocuments),
    requests: await store.container<VerificationRequest>(verificationRequests),
  };
}

/** Documents: uploads, checks and deletes, on Blob Storage. */
export async function expertDocumentService(): Promise<ExpertDocumentService> {
  const { profiles, documents } = await getExperts();
  return new ExpertDocumentService({ documents, profiles, files: requireBlobStorage, now: () => new Date() });
}

/** Blob storage, which documents need; a 503 when the app has none configured. */
export function requireBlobStorage() {
  const blobs = getBlobStorage();
  if (!blobs) throw new AppError('unavailable', 'Document storage is not configured.');
  return blobs;
}

/**
 * Email through the outbox to the expert's account address (and a notification in their inbox,
 * pushed live when they are connected), and email to every active admin; each once per cause.
 */
export const outboxNotifier: VerificationNotifier = {
  async toExpert(expertId, subject, text, cause) {
    const { users, outbox } = await getIdentity();
    const user = await users.byId(expertId);
    if (user) await outbox.enqueue({ to: user.email, subject, text }, cause);
    await notify(expertId, { type: 'verification.outcome', title: subject, body: text, link: '/api/v1/experts/verification' }, cause);
  },
  async toAdmins(subject, text, cause) {
    const { users, outbox } = await getIdentity();
    let continuation: string | undefined;
    do {
      const page = await users.list({ role: 'admin', status: 'active' }, 100, continuation);
      for (const admin of page.items) await outbox.enqueue({ to: admin.email, subject, text }, `${cause}:${admin.id}`);
      continuation = page.continuation ?? undefined;
    } while (continuation);
  },
};

export async function getVerificationSteps(): Promise<VerificationSteps> {
  const { profiles, documents, requests } = await getExperts();
  return new VerificationSteps({ profiles, documents, requests, blobs: requireBlobStorage(), extractor: getDocumentTextExtractor(), notifier: outboxNotifier, now: () => new Date() });
}

/** The Durable client input binding, for endpoints that start or signal orchestrations. */
export const durableClientInput = df.input.durableClient();

/**
 * The verification rules for one HTTP call: its Durable client (the endpoint declares
 * `durableClientInput`; built only when the workflow is touched) and its caller for the audit.
 */
export async function verificationService(context: InvocationContext, request: HttpRequest): Promise<VerificationService> {
  const { profiles, requests } = await getExperts();
  const client = () => df.getClient(context);
  const workflow: VerificationWorkflow = {
    async start(verification, timings) {
      const input: VerificationInput = { expertId: verification.expertId, requestId: verification.id, submittedAt: verification.submittedAt, timings };
      await client().startNew(VERIFICATION_ORCHESTRATION, { instanceId: verificationInstanceId(verification.id), input });
    },
    exists: async (requestId) => (await durableRuntime(client()).state(verificationInstanceId(requestId))) !== null,
    wake: (requestId, outcome) => client().raiseEvent(verificationInstanceId(requestId), REVIEW_DECISION_EVENT, { outcome }),
    stop: (requestId, reason) => durableRuntime(client()).terminate(verificationInstanceId(requestId), reason),
  };
  const audit: AuditSink = async (event) => (await getIdentity()).service.audit({ ...event, outcome: 'success' }, clientInfo(request));
  const { reminderAfterMs, escalateAfterMs, deadlines } = getConfig().verification;
  const logger = createAppLogger();
  return new VerificationService({
    profiles,
    requests,
    workflow,
    timings: { reminderAfterMs, escalateAfterMs },
    deadlines,
    audit,
    now: () => new Date(),
    warn: (message, details) => logger.warn(message, details),
  });
}

/** The verification part of the workflow watchdog. */
export async function verificationSupervisor(): Promise<VerificationSupervisor> {
  const { reminderAfterMs, escalateAfterMs, deadlines } = getConfig().verification;
  return new VerificationSupervisor({ requests: (await getExperts()).requests, steps: await getVerificationSteps(), timings: { reminderAfterMs, escalateAfterMs }, deadlines });
}
