import type { BlobStorage } from '../../blob/port';
import type { Container } from '../../data/document-store';
import type { DocumentTextExtractor, ExtractedDocument } from './ports';
import { isAppError } from '../../errors';
import { checkCertificate, overallStatus, type CheckStatus } from './certificate-checks';
import type { ExpertDocument, ExpertProfile } from './records';
import type { Supervision } from '../workflows/supervision';
import { withStep, type CertificationCheck, type VerificationRequest } from './verification';

/**
 * Email to the expert and to the admins (the notifications outbox in the app). `cause` names the
 * event (`verification:<requestId>:outcome:<expertId>`): a step that runs again sends nothing new.
 */
export interface VerificationNotifier {
  toExpert(expertId: string, subject: string, text: string, cause: string): Promise<void>;
  /** Each admin's message is caused by `<cause>:<adminId>`. */
  toAdmins(subject: string, text: string, cause: string): Promise<void>;
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

type Certification = ExpertProfile['certifications'][number];

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
      checks.push(await this.checkCertification(ref.expertId, profile!.name, certification, today));
    }
    const now = this.deps.now();
    // Now it waits on a person: nothing automated is due until an admin decides.
    const updated = withStep(withStep({ ...request, status: 'awaiting_review', checks, supervision: waiting(request.supervision) }, 'automated_checks', 'done', now), 'admin_review', 'running', now);
    await this.deps.requests.replace(updated, { ifMatch: request._etag });
    const failing = checks.filter((check) => check.overall !== 'passed').length;
    await this.deps.notifier.toAdmins(
      `Verification request waiting: ${profile?.name ?? ref.expertId}`,
      `${profile?.name ?? ref.expertId} asked for the verified badge. ${checks.length} certification(s) checked, ${failing} need a closer look.\nReview it: GET /api/v1/admin/verifications?status=pending`,
      `verification:${ref.requestId}:waiting`,
    );
    return checks;
  }

  /**
   * A step that still failed after its retries. Checks that could not run leave the documents to
   * the reviewer: the request joins the review queue with the problem shown. A failed outcome
   * keeps its deadline, so the watchdog tries it again. Admins are told either way.
   */
  async park(ref: RequestRef & { step: 'automated_checks' | 'outcome'; reason: string }): Promise<void> {
    const request = await this.request(ref);
    if (request.status === 'withdrawn') return;
    const now = this.deps.now();
    const problem = { step: ref.step, reason: ref.reason, at: now.toISOString() };
    const supervision = { recoveries: request.supervision?.recoveries ?? 0, ...request.supervision, problem };
    const parked =
      request.status === 'checking'
        ? withStep(withStep({ ...request, status: 'awaiting_review' as const, supervision: waiting(supervision) }, 'automated_checks', 'failed', now), 'admin_review', 'running', now)
        : { ...request, supervision };
    await this.deps.requests.replace(parked, { ifMatch: request._etag });
    await this.deps.notifier.toAdmins(
      `Verification needs attention: ${ref.step === 'automated_checks' ? 'automated checks could not run' : 'the outcome could not be applied'}`,
      `Request ${ref.requestId} from expert ${ref.expertId}: ${ref.reason}.\n${ref.step === 'automated_checks' ? 'Check the documents yourself and decide: GET /api/v1/admin/verifications?status=pending' : 'It is retried automatically; see GET /api/v1/admin/verifications?status=needs_attention'}`,
      `verification:${ref.requestId}:problem:${ref.step}:${supervision.recoveries}`,
    );
  }

  /** The admin's decision, once recorded on the request; `withdrawn` when the expert took it back. */
  async decision(ref: RequestRef): Promise<VerificationRequest['decision'] | 'withdrawn' | null> {
    const request = await this.request(ref);
    return request.status === 'withdrawn' ? 'withdrawn' : (request.decision ?? null);
  }

  async remindAdmins(ref: RequestRef & { kind: 'reminder' | 'escalation' }): Promise<void> {
    const request = await this.request(ref);
    const field = ref.kind === 'reminder' ? 'remindedAt' : 'escalatedAt';
    if (request[field] || request.decision) return;
    const waited = Math.round((this.deps.now().getTime() - Date.parse(request.submittedAt)) / 3_600_000);
    await this.deps.notifier.toAdmins(
      ref.kind === 'reminder' ? `Reminder: a verification request has waited ${waited} hours` : `Escalated: a verification request has waited ${waited} hours`,
      `Request ${ref.requestId} from expert ${ref.expertId} is still waiting for a review.${ref.kind === 'escalation' ? ' It is now escalated.' : ''}`,
      `verification:${ref.requestId}:${ref.kind}`,
    );
    // Marked after the hand-over: a re-run in between hands over the same causes, stored once.
    await this.deps.requests.patch(ref.expertId, ref.requestId, [{ op: 'set', path: field, value: this.deps.now().toISOString() }]);
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
    // The step is marked only after the message was handed to the outbox; handing it again (a
    // re-run after a crash) finds the same message by its cause and sends nothing twice.
    if (current.steps.find((step) => step.name === 'outcome_sent')?.state !== 'done') {
      await this.deps.notifier.toExpert(
        ref.expertId,
        decision.outcome === 'approved' ? 'You are verified' : 'Your verification request was not approved',
        decision.outcome === 'approved'
          ? 'An admin checked your documents: your profile now carries the verified badge.'
          : `An admin reviewed your documents and could not approve them: ${decision.reason ?? 'no reason given'}.\nYou can fix your profile or documents and submit again.`,
        `verification:${ref.requestId}:outcome:${ref.expertId}`,
      );
      const settled = { ...withStep(current, 'outcome_sent', 'done', this.deps.now()), supervision: { recoveries: current.supervision?.recoveries ?? 0 } };
      await this.deps.requests.replace(settled, { ifMatch: current._etag });
    }
    return decision.outcome;
  }

  private async request(ref: RequestRef) {
    const request = await this.deps.requests.read(ref.expertId, ref.requestId);
    if (!request) throw new Error(`Verification request ${ref.requestId} of expert ${ref.expertId} does not exist.`);
    return request;
  }

  /**
   * One certification's checks. A document that is absent, gone from storage or unreadable is
   * a finding for the reviewer, never an error: the request must reach the review queue.
   */
  private async checkCertification(expertId: string, holderName: string, certification: Certification, today: string): Promise<CertificationCheck> {
    const readable = (documentId: string | null, status: CheckStatus, detail: string): CertificationCheck => ({
      certificationEntryId: certification.id,
      documentId,
      overall: status,
      results: [{ check: 'readable', status, detail }],
    });
    if (!certification.documentId) return readable(null, 'needs_review', 'No document is linked to this certification.');
    const document = await this.deps.documents.read(expertId, certification.documentId);
    if (!document || document.status === 'awaiting_upload') return readable(document?.id ?? null, 'needs_review', 'The linked document was never uploaded.');
    const missing = `The file of the linked document "${document.fileName}" is missing from storage; ask the expert to upload it again.`;
    if (document.status === 'missing') return readable(document.id, 'needs_review', missing);

    let extracted: ExtractedDocument;
    try {
      extracted = await this.deps.extractor.extract(await this.deps.blobs.download(document.blobName), document.contentType);
    } catch (error) {
      if (isAppError(error) && error.kind === 'not_found') {
        // Marked on the record, so the expert's document list and the admin's view show it too.
        await this.deps.documents.patch(expertId, document.id, [{ op: 'set', path: 'status', value: 'missing' }]);
        return readable(document.id, 'needs_review', missing);
      }
      // A file the reader refuses fails; any other failure (storage, the reading service) is not the expert's, so a person reads it.
      if (isAppError(error) && error.kind === 'validation') return readable(document.id, 'failed', `The document could not be read: ${error.message}`);
      const reason = isAppError(error) ? ` (${error.message})` : '';
      return readable(document.id, 'needs_review', `The document could not be read automatically${reason}; read it yourself.`);
    }
    const results = checkCertificate({ holderName, certification, document: extracted, today });
    return { certificationEntryId: certification.id, documentId: document.id, overall: overallStatus(results), results };
  }
}

/** The supervision of a request that now waits on a person: nothing automated is due. */
function waiting(supervision: Supervision | undefined): Supervision {
  const { dueBy: _due, ...rest } = supervision ?? { recoveries: 0 };
  return rest;
}
