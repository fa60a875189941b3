import type { OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import { attempt } from '../workflows/steps';
import { nextReviewDeadline, REVIEW_DECISION_EVENT, type VerificationInput, type VerificationRequest } from './verification';
import type { RequestRef } from './verification-steps';

/** The activities the orchestration calls, by name (registered in functions/verification.durable.ts). */
export const VERIFICATION_ACTIVITIES = {
  runChecks: 'verificationRunChecks',
  decision: 'verificationDecision',
  remindAdmins: 'verificationRemindAdmins',
  applyDecision: 'verificationApplyDecision',
  park: 'verificationPark',
} as const;

const A = VERIFICATION_ACTIVITIES;

/**
 * An expert's verification: automated checks, then an admin's review with a reminder and an
 * escalation on durable timers, then the outcome applied. The admin's decision is written to the
 * request first and the event only wakes the orchestration, which reads the decision from the
 * store: so no decision is lost to timing, and each wait (the event or the next deadline) is a
 * fresh execution (continueAsNew) rather than an event task reused across waits, which the
 * Durable runtime does not support.
 *
 * Every activity retries; one that still fails parks the request (checks that cannot run go to
 * a person's review; an outcome that cannot be applied is left to the watchdog and the admins),
 * so the orchestration never ends `Failed` with the request stuck.
 */
export const verificationOrchestrator = (retry: RetryOptions) =>
  function* (context: OrchestrationContext): Generator<Task, string | undefined, unknown> {
    const input = context.df.getInput() as VerificationInput;
    const ref: RequestRef = { expertId: input.expertId, requestId: input.requestId };
    if (!input.checked) {
      context.df.setCustomStatus({ step: 'automated_checks' });
      const checks = yield* attempt(context, retry, A.runChecks, ref);
      if (!checks.ok) yield context.df.callActivityWithRetry(A.park, retry, { ...ref, step: 'automated_checks', reason: `the automated checks failed: ${checks.reason}` });
    }
    const decision = (yield context.df.callActivityWithRetry(A.decision, retry, ref)) as VerificationRequest['decision'] | 'withdrawn' | null;
    if (decision === 'withdrawn') return 'withdrawn';
    if (!decision) {
      context.df.setCustomStatus({ step: 'admin_review', reminded: !!input.reminded, escalated: !!input.escalated });
      const deadline = nextReviewDeadline(input.submittedAt, { reminded: !!input.reminded, escalated: !!input.escalated }, input.timings);
      const event = context.df.waitForExternalEvent(REVIEW_DECISION_EVENT);
      const next = { ...input, checked: true };
      if (deadline) {
        const timer = context.df.createTimer(deadline.at);
        const winner = yield context.df.Task.any([event, timer]);
        if (winner === event) {
          timer.cancel();
        } else {
          yield context.df.callActivityWithRetry(A.remindAdmins, retry, { ...ref, kind: deadline.kind });
          if (deadline.kind === 'reminder') next.reminded = true;
          else next.escalated = true;
        }
      } else {
        yield event;
      }
      context.df.continueAsNew(next);
      return undefined;
    }
    context.df.setCustomStatus({ step: 'outcome_sent' });
    const outcome = yield* attempt<'approved' | 'rejected'>(context, retry, A.applyDecision, ref);
    if (outcome.ok) return outcome.value;
    yield context.df.callActivityWithRetry(A.park, retry, { ...ref, step: 'outcome', reason: `the outcome could not be applied: ${outcome.reason}` });
    return 'parked';
  };
