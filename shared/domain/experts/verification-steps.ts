import type { BlobStorage } from '../../blob/blob-storage';
import type { Container } from '../../data/document-store';
import type { DocumentTextExtractor } from '../../documents/text-extractor';
import { checkCertificate, overallStatus } from './certificate-checks';
import type { ExpertDocument, ExpertProfile } from './records';
import { withStep, type CertificationCheck, type VerificationRequest } from './verification';

/** Email to the expert and to the admins (the notifications outbox in the app). */
export interface VerificationNotifier {
  toExpert(expertId: string, subject: string, text: string): Promise<void>;
  toAdmins(subject: string, text: string): Promise<void>;
}

export interface VerificationDependencies {
  profiles: Container<ExpertProfile>;
  documents: Container<ExpertDocument>;
  requests: Container<VerificationRequest>;
  blobs: Pick<BlobStorage, 'download'>;
  extractor: DocumentTextExtractor;
  notifier: VerificationNotifier;
  now: () => Date;
}

export interface RequestRef {
  expertId: string;
  requestId: string;
}

/**
 * The steps the verification orchestration runs as activities. Each may run more than once
 * (activities are at-least-once), so each writes its result idempotently: a step already done
 * leaves the request as it is.
 */
export class VerificationSteps {
  constructor(private readonly deps: VerificationDependencies) {}

  /** Reads every certification's document and checks it against the profile; the request then awaits review. */
  async runChecks(ref: RequestRef): Promise<CertificationCheck[]> {
    const request = await this.request(ref);
    if (request.status !== 'checking') return request.checks;
    const profile = await this.deps.profiles.read(ref.expertId, ref.expertId);
    const today = this.deps.now().toISOString().slice(0, 10);
    const checks: CertificationCheck[] = [];
    for (const certification of profile?.certifications ?? []) {
      const document = certification.documentId ? await this.deps.documents.read(ref.expertId, certification.documentId) : null;
      if (document?.status !== 'uploaded') {
        const detail = certification.documentId ? 'The linked document was never uploaded.' : 'No document is linked to this certification.';
        checks.push({ certificationEntryId: certification.id, documentId: document?.id ?? null, overall: 'needs_review', results: [{ check: 'readable', status: 'needs_review', detail }] });
        continue;
      }
      const extracted = await this.deps.extractor.extract(await this.deps.blobs.download(document.blobName), document.contentType);
      const results = checkCertificate({ holderName: profile!.name, certification, document: extracted, today });
      checks.push({ certificationEntryId: certification.id, documentId: document.id, overall: overallStatus(results), results });
    }
    const now = this.deps.now();
    const updated = withStep(withStep({ ...request, status: 'awaiting_review', checks }, 'automated_checks', 'done', now), 'admin_review', 'running', now);
    await this.deps.requests.replace(updated, { ifMatch: request._etag });
    const failing = checks.filter((check) => check.overall !== 'passed').length;
    await this.deps.notifier.toAdmins(
      `Verification request waiting: ${profile?.name ?? ref.expertId}`,
      `${profile?.name ?? ref.expertId} asked for the verified badge. ${checks.length} certification(s) checked, ${failing} need a closer look.\nReview it: GET /api/v1/admin/verifications?status=pending`,
    );
    return checks;
  }

  /** The admin's decision, once recorded on the request. */
  async decision(ref: RequestRef): Promise<VerificationRequest['decision'] | null> {
    return (await this.request(ref)).decision ?? null;
  }

  async remindAdmins(ref: RequestRef & { kind: 'reminder' | 'escalation' }): Promise<void> {
    const request = await this.request(ref);
    const field = ref.kind === 'reminder' ? 'remindedAt' : 'escalatedAt';
    if (request[field] || request.decision) return;
    await this.deps.requests.patch(ref.expertId, ref.requestId, [{ op: 'set', path: field, value: this.deps.now().toISOString() }]);
    const waited = Math.round((this.deps.now().getTime() - Date.parse(request.submittedAt)) / 3_600_000);
    await this.deps.notifier.toAdmins(
      ref.kind === 'reminder' ? `Reminder: a verification request has waited ${waited} hours` : `Escalated: a verification request has waited ${waited} hours`,
      `Request ${ref.requestId} from expert ${ref.expertId} is still waiting for a review.${ref.kind === 'escalation' ? ' It is now escalated.' : ''}`,
    );
  }

  /** Applies the recorded decision: the badge on approval (the only way to get it), and tells the expert. */
  async applyDecision(ref: RequestRef): Promise<'approved' | 'rejected'> {
    const request = await this.request(ref);
    const decision = request.decision;
    if (!decision) throw new Error(`Verification ${ref.requestId} has no decision to apply.`);
    const now = this.deps.now();
    const profile = await this.deps.profiles.read(ref.expertId, ref.expertId);
    if (profile && profile.verification.requestId === ref.requestId) {
      const verification =
        decision.outcome === 'approved'
          ? { status: 'verified' as const, requestId: ref.requestId, verifiedAt: decision.at }
          : { status: 'rejected' as const, requestId: ref.requestId, ...(decision.reason ? { reason: decision.reason } : {}) };
      await this.deps.profiles.patch(ref.expertId, ref.expertId, [
        { op: 'set', path: 'verification', value: verification },
        { op: 'set', path: 'updatedAt', value: now.toISOString() },
      ]);
    }
    let current = request;
    if (current.status !== decision.outcome) {
      const decided = withStep({ ...current, status: decision.outcome }, 'admin_review', 'done', now);
      current = await this.deps.requests.replace(decided, { ifMatch: current._etag });
    }
    // The email goes out at least once: the step is marked only after it was handed to the outbox.
    if (current.steps.find((step) => step.name === 'outcome_sent')?.state !== 'done') {
      await this.deps.notifier.toExpert(
        ref.expertId,
        decision.outcome === 'approved' ? 'You are verified' : 'Your verification request was not approved',
        decision.outcome === 'approved'
          ? 'An admin checked your documents: your profile now carries the verified badge.'
          : `An admin reviewed your documents and could not approve them: ${decision.reason ?? 'no reason given'}.\nYou can fix your profile or documents and submit again.`,
      );
      await this.deps.requests.replace(withStep(current, 'outcome_sent', 'done', this.deps.now()), { ifMatch: current._etag });
    }
    return decision.outcome;
  }

  private async request(ref: RequestRef) {
    const request = await this.deps.requests.read(ref.expertId, ref.requestId);
    if (!request) throw new Error(`Verification request ${ref.requestId} of expert ${ref.expertId} does not exist.`);
    return request;
  }
}
