import type { OrchestrationContext, RetryOptions } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { VERIFICATION_ACTIVITIES as A, verificationOrchestrator } from '../../../../../shared/domain/experts/verification-orchestrator';
import type { VerificationInput } from '../../../../../shared/domain/experts/verification';

const input: VerificationInput = { expertId: 'e1', requestId: 'r1', submittedAt: '2026-11-25T10:00:00Z', timings: { reminderAfterMs: 1000, escalateAfterMs: 2000 } };
const retry = { maxNumberOfAttempts: 4 } as RetryOptions;

/**
 * Drives the orchestrator as the Durable runtime does: each yielded task is answered by `answer`
 * (a value, or an Error for a task that failed after its retries). Returns the activity calls.
 */
function run(answer: (activity: string, payload: unknown) => unknown, start: VerificationInput = input) {
  const calls: { activity: string; payload: unknown }[] = [];
  const context = {
    df: {
      getInput: () => start,
      setCustomStatus: () => undefined,
      callActivityWithRetry: (activity: string, options: RetryOptions, payload: unknown) => {
        expect(options).toBe(retry);
        return { activity, payload };
      },
      waitForExternalEvent: () => ({ activity: 'event' }),
      createTimer: () => ({ activity: 'timer', cancel: () => undefined }),
      Task: { any: (tasks: unknown[]) => ({ activity: 'any', tasks }) },
      continueAsNew: (next: unknown) => calls.push({ activity: 'continueAsNew', payload: next }),
    },
  } as unknown as OrchestrationContext;
  const generator = verificationOrchestrator(retry)(context);
  let step = generator.next();
  while (!step.done) {
    const task = step.value as unknown as { activity: string; payload: unknown };
    calls.push(task);
    const result = answer(task.activity, task.payload);
    step = result instanceof Error ? generator.throw(result) : generator.next(result);
  }
  return { calls: calls.map((call) => call.activity), payloads: calls, output: step.value };
}

describe('the verification orchestration', () => {
  it('parks the request when the checks still fail after their retries, then waits for the review', () => {
    const { calls, payloads } = run((activity) =>
      activity === A.runChecks ? new Error("Activity function 'verificationRunChecks' failed: Invalid PDF structure\n at parse") : activity === A.decision ? null : undefined,
    );
    expect(calls).toEqual([A.runChecks, A.park, A.decision, 'any', A.remindAdmins, 'continueAsNew']); // the timer won: a reminder
    expect(payloads[1]!.payload).toEqual({
      expertId: 'e1',
      requestId: 'r1',
      step: 'automated_checks',
      reason: "the automated checks failed: Activity function 'verificationRunChecks' failed: Invalid PDF structure",
    });
  });

  it('applies a decision, and parks the request when applying it keeps failing', () => {
    const approved = { outcome: 'approved', by: 'a', at: 'now' };
    expect(run((activity) => (activity === A.decision ? approved : activity === A.applyDecision ? 'approved' : []), { ...input, checked: true }).output).toBe('approved');
    const failing = run((activity) => (activity === A.decision ? approved : activity === A.applyDecision ? new Error('store unavailable') : undefined), { ...input, checked: true });
    expect(failing.calls).toEqual([A.decision, A.applyDecision, A.park]);
    expect(failing.payloads[2]!.payload).toMatchObject({ step: 'outcome', reason: 'the outcome could not be applied: store unavailable' });
    expect(failing.output).toBe('parked');
  });

  it('ends at once for a withdrawn request', () => {
    const { calls, output } = run((activity) => (activity === A.decision ? 'withdrawn' : []));
    expect(calls).toEqual([A.runChecks, A.decision]);
    expect(output).toBe('withdrawn');
  });
});
