import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { nextReviewDeadline, REVIEW_DECISION_EVENT, VERIFICATION_ORCHESTRATION, type VerificationInput } from '../shared/domain/experts/verification';
import type { RequestRef } from '../shared/domain/experts/verification-steps';
import { getVerificationSteps } from '../shared/experts-container';

/**
 * An expert's verification: automated checks, then an admin's review with a reminder and an
 * escalation on durable timers, then the outcome applied. The admin's decision is written to the
 * request first and the event only wakes the orchestration, which reads the decision from the
 * store: so no decision is lost to timing, and each wait (the event or the next deadline) is a
 * fresh execution (continueAsNew) rather than an event task reused across waits, which the
 * Durable runtime does not support.
 */
df.app.orchestration(VERIFICATION_ORCHESTRATION, function* (context: OrchestrationContext) {
  const input = context.df.getInput() as VerificationInput;
  const ref: RequestRef = { expertId: input.expertId, requestId: input.requestId };
  if (!input.checked) {
    context.df.setCustomStatus({ step: 'automated_checks' });
    yield context.df.callActivity('verificationRunChecks', ref);
  }
  const decision = yield context.df.callActivity('verificationDecision', ref);
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
        yield context.df.callActivity('verificationRemindAdmins', { ...ref, kind: deadline.kind });
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
  return yield context.df.callActivity('verificationApplyDecision', ref);
});

df.app.activity('verificationRunChecks', { handler: async (ref: RequestRef) => (await getVerificationSteps()).runChecks(ref) });
df.app.activity('verificationDecision', { handler: async (ref: RequestRef) => (await getVerificationSteps()).decision(ref) });
df.app.activity('verificationRemindAdmins', { handler: async (input: RequestRef & { kind: 'reminder' | 'escalation' }) => (await getVerificationSteps()).remindAdmins(input) });
df.app.activity('verificationApplyDecision', { handler: async (ref: RequestRef) => (await getVerificationSteps()).applyDecision(ref) });
