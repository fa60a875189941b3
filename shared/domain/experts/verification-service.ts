import { randomUUID } from 'node:crypto';
import type { Container, Stored } from '../../data/document-store';
import { AppError } from '../../errors';
import type { ExpertProfile } from './records';
import { newVerificationRequest, type ReviewTimings, type VerificationRequest } from './verification';

/** The Durable workflow behind a request, as the rules here need it. */
export interface VerificationWorkflow {
  start(request: Stored<VerificationRequest>, timings: ReviewTimings): Promise<void>;
  /** Whether the request's workflow was ever started. */
  exists(requestId: string): Promise<boolean>;
  /** Wakes the workflow to read the decision just recorded. */
  wake(requestId: string, outcome: 'approved' | 'rejected'): Promise<void>;
}

export type AuditSink = (event: { action: string; actorId: string; targetId: string; details: Record<string, string> }) => Promise<void>;

/** Submitting a request and deciding one: the rules, whatever calls them. */
export class VerificationService {
  constructor(
    private readonly deps: {
      profiles: Container<ExpertProfile>;
      requests: Container<VerificationRequest>;
      workflow: VerificationWorkflow;
      timings: ReviewTimings;
      audit: AuditSink;
      now: () => Date;
    },
  ) {}

  /**
   * One request at a time, for a profile with something to verify. The request is created, then
   * the profile marked pending (its ETag makes two racing submissions exclusive; the loser's
   * request is removed), then the workflow started. A submission cut off before its workflow
   * started leaves a pending mark the next submission clears.
   */
  async submit(expertId: string): Promise<Stored<VerificationRequest>> {
    const { profiles, requests, workflow } = this.deps;
    const profile = await profiles.read(expertId, expertId);
    if (!profile) throw new AppError('unprocessable', 'Create your profile first (PUT /api/v1/experts/profile).');
    if (profile.certifications.length === 0) throw new AppError('unprocessable', 'Add at least one certification, with its document, to your profile first.');
    const pending = profile.verification.status === 'pending' ? profile.verification.requestId : undefined;
    if (pending && (await workflow.exists(pending))) {
      throw new AppError('conflict', 'A verification request is already under way; follow it at GET /api/v1/experts/verification.');
    }
    if (pending) await requests.delete(expertId, pending).catch(() => undefined);
    const now = this.deps.now();
    const request = await requests.create(newVerificationRequest(randomUUID(), expertId, now));
    try {
      await profiles.replace({ ...profile, verification: { status: 'pending', requestId: request.id }, updatedAt: now.toISOString() }, { ifMatch: profile._etag });
    } catch (error) {
      await requests.delete(expertId, request.id).catch(() => undefined);
      throw error;
    }
    await workflow.start(request, this.deps.timings);
    return request;
  }

  /**
   * An admin's decision on a request waiting for review: recorded on the request first (its ETag
   * makes two admins' decisions exclusive), then the workflow is woken to apply it; audited.
   */
  async decide(requestId: string, outcome: 'approved' | 'rejected', adminId: string, reason?: string): Promise<Stored<VerificationRequest>> {
    const request = await this.byId(requestId);
    if (request.status !== 'awaiting_review' || request.decision) {
      throw new AppError('conflict', `This request is ${request.decision ? 'already decided' : request.status}, not waiting for a review.`);
    }
    const decision = { outcome, ...(reason ? { reason } : {}), by: adminId, at: this.deps.now().toISOString() };
    const decided = await this.deps.requests.replace({ ...request, decision }, { ifMatch: request._etag });
    await this.deps.workflow.wake(request.id, outcome);
    await this.deps.audit({ action: `verification.${outcome}`, actorId: adminId, targetId: request.expertId, details: { requestId: request.id } });
    return decided;
  }

  /** A request by its id alone (the admin's view spans experts: a small cross-partition query). */
  async byId(requestId: string): Promise<Stored<VerificationRequest>> {
    const page = await this.deps.requests.query({ where: { field: 'id', op: 'eq', value: requestId }, limit: 1 });
    const request = page.items[0];
    if (!request) throw new AppError('not_found', 'No such verification request.');
    return request;
  }
}
