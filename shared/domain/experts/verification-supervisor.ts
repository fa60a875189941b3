import type { Container, Stored } from '../../data/document-store';
import { AppError } from '../../errors';
import { describeInstance, isLive, MAX_RECOVERIES, type Recovery, type SupervisedWorkflow, type WorkflowRuntime } from '../workflows/supervision';
import {
  dueAfter,
  OPEN_STATUSES,
  REVIEW_DECISION_EVENT,
  VERIFICATION_ORCHESTRATION,
  verificationInstanceId,
  type ReviewTimings,
  type VerificationDeadlines,
  type VerificationInput,
  type VerificationRequest,
} from './verification';
import type { VerificationSteps } from './verification-steps';

const BATCH = 50;

/**
 * The watchdog's part for verification: a request past its `dueBy` is one whose checks or
 * outcome did not happen in time. Its workflow is woken when it still runs and is only waiting,
 * restarted when it failed or was lost (a restart reads the request and goes on from where it
 * stands), and after `MAX_RECOVERIES` restarts left to the admins with the problem shown. Checks
 * that cannot run are parked for a person's review rather than retried without end.
 */
export class VerificationSupervisor implements SupervisedWorkflow {
  readonly name = VERIFICATION_ORCHESTRATION;

  constructor(
    private readonly deps: {
      requests: Container<VerificationRequest>;
      steps: Pick<VerificationSteps, 'park'>;
      timings: ReviewTimings;
      deadlines: VerificationDeadlines;
    },
  ) {}

  async recoverOverdue(runtime: WorkflowRuntime, now: Date): Promise<Recovery[]> {
    const page = await this.deps.requests.query({ where: { field: 'supervision.dueBy', op: 'lt', value: now.toISOString() }, orderBy: [{ field: 'supervision.dueBy' }], limit: BATCH });
    const recoveries: Recovery[] = [];
    for (const request of page.items) recoveries.push(await this.recover(request, runtime, now));
    return recoveries;
  }

  /** An admin's "try again" on a request the watchdog gave up on (or any open one): a fresh count of restarts, and a recovery now. */
  async retry(requestId: string, runtime: WorkflowRuntime, now: Date): Promise<Recovery> {
    const page = await this.deps.requests.query({ where: { field: 'id', op: 'eq', value: requestId }, limit: 1 });
    const request = page.items[0];
    if (!request) throw new AppError('not_found', 'No such verification request.');
    if (!this.unsettled(request)) throw new AppError('conflict', `This request is ${request.status} and settled; there is nothing to retry.`);
    const { problem: _problem, ...rest } = request.supervision ?? { recoveries: 0 };
    const fresh = await this.deps.requests.replace({ ...request, supervision: { ...rest, recoveries: 0, dueBy: now.toISOString() } }, { ifMatch: request._etag });
    return this.recover(fresh, runtime, now);
  }

  private async recover(request: Stored<VerificationRequest>, runtime: WorkflowRuntime, now: Date): Promise<Recovery> {
    const instanceId = verificationInstanceId(request.id);
    const recovery = (action: Recovery['action'], reason: string): Recovery => ({ workflow: this.name, subjectId: request.id, action, reason });
    if (!this.unsettled(request)) {
      await this.patchSupervision(request, { dueBy: undefined });
      return recovery('healthy', `the request is ${request.status} and settled`);
    }
    const state = await runtime.state(instanceId);
    const recoveries = request.supervision?.recoveries ?? 0;

    if (request.status === 'checking') {
      if (isLive(state)) await runtime.terminate(instanceId, 'overran its deadline; ended by the watchdog');
      // A workflow that never started gets its checks run from the beginning, once.
      if (!state && recoveries === 0) {
        await this.patchSupervision(request, { recoveries: 1, dueBy: dueAfter(now, this.deps.deadlines.checksMs) });
        await runtime.start(this.name, instanceId, this.input(request, false));
        return recovery('restarted', 'its workflow never started');
      }
      const reason = isLive(state) ? 'the automated checks did not finish in time' : `the automated checks stopped: ${describeInstance(state)}`;
      await this.deps.steps.park({ expertId: request.expertId, requestId: request.id, step: 'automated_checks', reason });
      await runtime.start(this.name, instanceId, this.input(request, true));
      return recovery('parked', reason);
    }

    if (isLive(state) && !request.decision) {
      // Running and waiting for an admin (after a restart or a retry): nothing automated is due.
      await this.patchSupervision(request, { dueBy: undefined });
      return recovery('healthy', 'its workflow waits for the review');
    }
    if (isLive(state) && request.decision) {
      // Only waiting: the wake was lost. The decision is on the request, so a second wake is harmless.
      await this.patchSupervision(request, { dueBy: dueAfter(now, this.deps.deadlines.outcomeMs) });
      await runtime.raise(instanceId, REVIEW_DECISION_EVENT, { outcome: request.decision.outcome });
      return recovery('woken', 'the decision was not applied in time');
    }
    if (recoveries >= MAX_RECOVERIES) {
      const reason = `the outcome was not applied after ${recoveries} automatic restarts; ${describeInstance(state)}`;
      await this.deps.steps.park({ expertId: request.expertId, requestId: request.id, step: 'outcome', reason });
      await this.patchSupervision(request, { dueBy: undefined });
      return recovery('gave_up', reason);
    }
    await this.patchSupervision(request, { recoveries: recoveries + 1, dueBy: dueAfter(now, this.deps.deadlines.outcomeMs) });
    await runtime.start(this.name, instanceId, this.input(request, true));
    return recovery('restarted', describeInstance(state));
  }

  /** Open, or decided with the outcome not yet sent. */
  private unsettled(request: VerificationRequest): boolean {
    if (OPEN_STATUSES.includes(request.status)) return true;
    return request.status !== 'withdrawn' && request.steps.find((step) => step.name === 'outcome_sent')?.state !== 'done';
  }

  private input(request: VerificationRequest, checked: boolean): VerificationInput {
    return {
      expertId: request.expertId,
      requestId: request.id,
      submittedAt: request.submittedAt,
      timings: this.deps.timings,
      checked,
      reminded: !!request.remindedAt,
      escalated: !!request.escalatedAt,
    };
  }

  /** Sets the supervision fields given (`undefined` removes one) without touching what a step may have written since. */
  private async patchSupervision(request: VerificationRequest, changes: { dueBy?: string | undefined; recoveries?: number }): Promise<void> {
    const operations = Object.entries(changes).map(([field, value]) =>
      value === undefined ? { op: 'remove' as const, path: `supervision.${field}` } : { op: 'set' as const, path: `supervision.${field}`, value },
    );
    await this.deps.requests.patch(request.expertId, request.id, operations);
  }
}
