import { randomUUID } from 'node:crypto';
import type { Condition, Container, Page, Stored } from '../../data/document-store';
import { AppError } from '../../errors';
import type { ExpertProfile } from './records';
import { dueAfter, newVerificationRequest, OPEN_STATUSES, type ReviewTimings, type VerificationDeadlines, type VerificationRequest, type VerificationStatus } from './verification';

/** The Durable workflow behind a request, as the rules here need it. */
export interface VerificationWorkflow {
  start(request: Stored<VerificationRequest>, timings: ReviewTimings): Promise<void>;
  /** Whether the request's workflow was ever started. */
  exists(requestId: string): Promise<boolean>;
  /** Wakes the workflow to read the decision just recorded (a finished workflow ignores it). */
  wake(requestId: string, outcome: 'approved' | 'rejected'): Promise<void>;
  /** Ends the workflow of a withdrawn request (one already finished is left as it is). */
  stop(requestId: string, reason: string): Promise<void>;
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
      deadlines: VerificationDeadlines;
      audit: AuditSink;
      now: () => Date;
      /** Where a failure that must not fail the caller is reported (the watchdog repairs what it leaves). */
      warn: (message: string, details: Record<string, string>) => void;
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
    const pendingId = profile.verification.status === 'pending' ? profile.verification.requestId : undefined;
    const pending = pendingId ? await requests.read(expertId, pendingId) : null;
    if (pending && OPEN_STATUSES.includes(pending.status)) {
      if (await workflow.exists(pending.id)) {
        throw new AppError(
          'conflict',
          'A verification request is already under way; follow it at GET /api/v1/experts/verification, or withdraw it (POST /api/v1/experts/verification/withdraw) to submit again.',
        );
      }
      // Cut off before its workflow started: nothing ran, so it is replaced.
      await requests.delete(expertId, pending.id).catch(() => undefined);
    }
    const now = this.deps.now();
    const previousVerification = profile.verification.status === 'pending' ? { status: 'unverified' as const } : profile.verification;
    const request = await requests.create({ ...newVerificationRequest(randomUUID(), expertId, now, this.deps.deadlines.checksMs), previousVerification });
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
    const now = this.deps.now();
    const decision = { outcome, ...(reason ? { reason } : {}), by: adminId, at: now.toISOString() };
    // Due from now: if the wake below is lost (a crash, a workflow that died while waiting), the watchdog applies it.
    const supervision = { recoveries: 0, ...request.supervision, dueBy: dueAfter(now, this.deps.deadlines.outcomeMs) };
    const decided = await this.deps.requests.replace({ ...request, decision, supervision }, { ifMatch: request._etag });
    await this.deps.audit({ action: `verification.${outcome}`, actorId: adminId, targetId: request.expertId, details: { requestId: request.id } });
    await this.deps.workflow
      .wake(request.id, outcome)
      .catch((error: unknown) => this.deps.warn('Verification workflow not woken; the watchdog will apply the decision', { requestId: request.id, error: String(error) }));
    return decided;
  }

  /**
   * The expert takes back a request nobody has decided yet: the request is closed as withdrawn,
   * the profile's badge state is what it was before, and the workflow is ended; they may submit
   * again at once. Audited.
   */
  async withdraw(expertId: string): Promise<Stored<VerificationRequest>> {
    const { profiles, requests } = this.deps;
    const profile = await profiles.read(expertId, expertId);
    const pendingId = profile?.verification.status === 'pending' ? profile.verification.requestId : undefined;
    const request = pendingId ? await requests.read(expertId, pendingId) : null;
    if (!profile || !request || !OPEN_STATUSES.includes(request.status)) throw new AppError('conflict', 'No verification request of yours is under way.');
    if (request.decision) throw new AppError('conflict', 'An admin has already decided this request; it can no longer be withdrawn.');
    const now = this.deps.now();
    const withdrawn = await requests.replace(
      { ...request, status: 'withdrawn', withdrawnAt: now.toISOString(), supervision: { recoveries: request.supervision?.recoveries ?? 0 } },
      { ifMatch: request._etag },
    );
    await profiles.replace({ ...profile, verification: request.previousVerification ?? { status: 'unverified' }, updatedAt: now.toISOString() }, { ifMatch: profile._etag });
    await this.deps.audit({ action: 'verification.withdrawn', actorId: expertId, targetId: expertId, details: { requestId: request.id } });
    await this.deps.workflow
      .stop(request.id, 'withdrawn by the expert')
      .catch((error: unknown) => this.deps.warn('Verification workflow not stopped; it ends at its next step', { requestId: request.id, error: String(error) }));
    return withdrawn;
  }

  /** The expert's requests, newest first (the latest is the current one). */
  async history(expertId: string): Promise<Stored<VerificationRequest>[]> {
    return (await this.deps.requests.query({ partitionKey: expertId, orderBy: [{ field: 'submittedAt', direction: 'desc' }], limit: 20 })).items;
  }

  /**
   * The admins' queue, oldest first: requests in a status (`pending` = waiting for review), or
   * those with a problem the workflow could not get past (`needs_attention`).
   */
  async queue(filter: VerificationStatus | 'pending' | 'needs_attention', page: { limit: number; continuation?: string }): Promise<Page<Stored<VerificationRequest>>> {
    const where: Condition =
      filter === 'needs_attention' ? { field: 'supervision.problem', op: 'defined', value: true } : { field: 'status', op: 'eq', value: filter === 'pending' ? 'awaiting_review' : filter };
    return this.deps.requests.query({ where, orderBy: [{ field: 'submittedAt' }], limit: page.limit, continuation: page.continuation });
  }

  /** A request by its id alone (the admin's view spans experts: a small cross-partition query). */
  async byId(requestId: string): Promise<Stored<VerificationRequest>> {
    const page = await this.deps.requests.query({ where: { field: 'id', op: 'eq', value: requestId }, limit: 1 });
    const request = page.items[0];
    if (!request) throw new AppError('not_found', 'No such verification request.');
    return request;
  }
}
