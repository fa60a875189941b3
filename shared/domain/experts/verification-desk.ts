import type { Stored } from '../../data/document-store';
import type { Recovery } from '../workflows/supervision';
import type { ExpertDocumentService, ReviewLink } from './document-service';
import type { ExpertProfileService } from './profile-service';
import type { ExpertProfile } from './records';
import type { VerificationRequest } from './verification';
import type { AuditSink, VerificationService } from './verification-service';

/** What a reviewing admin opens: the request, the profile as it stands, and a link per document its checks read. */
export interface VerificationReview {
  request: Stored<VerificationRequest>;
  /** Null when the expert deleted it meanwhile. */
  profile: Stored<ExpertProfile> | null;
  documents: ReviewLink[];
}

/**
 * The admin's desk for one verification request, beside deciding it (VerificationService):
 * opening it for review, and running its workflow again once the cause of a failure is fixed.
 */
export class VerificationDesk {
  constructor(
    private readonly deps: {
      verification: Pick<VerificationService, 'byId'>;
      profiles: Pick<ExpertProfileService, 'read'>;
      documents: Pick<ExpertDocumentService, 'reviewLinks'>;
      /** The supervisor's retry, bound to this call's workflow runtime. */
      retry: (requestId: string, now: Date) => Promise<Recovery>;
      audit: AuditSink;
      now: () => Date;
    },
  ) {}

  /** The request with its profile and 5-minute links to the documents its checks read (404 for an unknown request). */
  async review(requestId: string): Promise<VerificationReview> {
    const request = await this.deps.verification.byId(requestId);
    const profile = await this.deps.profiles.read(request.expertId);
    const documentIds = request.checks.flatMap((check) => (check.documentId ? [check.documentId] : []));
    return { request, profile, documents: await this.deps.documents.reviewLinks(request.expertId, documentIds) };
  }

  /** Runs the request's workflow again with a fresh count of automatic restarts (404 unknown, 409 settled); audited with what the workflow was told. */
  async retry(requestId: string, adminId: string): Promise<Recovery> {
    const recovery = await this.deps.retry(requestId, this.deps.now());
    await this.deps.audit({ action: 'verification.retried', actorId: adminId, targetId: requestId, details: { action: recovery.action } });
    return recovery;
  }
}
