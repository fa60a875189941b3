import type { OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import { failureReason } from './supervision';

export type StepResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Every workflow's activities retry this way: 4 attempts, 2 s apart and doubling (2, 4, 8 s). */
export const STEP_RETRY = { firstRetryIntervalMs: 2_000, maxAttempts: 4, backoffCoefficient: 2 } as const;

/**
 * Runs an activity with the retry policy; after its last attempt the failure comes back as a
 * reason (`yield*` it), so the orchestration can park its record for a person instead of ending
 * `Failed` with the record stuck.
 */
export function* attempt<T>(context: OrchestrationContext, retry: RetryOptions, name: string, input: unknown): Generator<Task, StepResult<T>, unknown> {
  try {
    return { ok: true, value: (yield context.df.callActivityWithRetry(name, retry, input)) as T };
  } catch (error) {
    return { ok: false, reason: failureReason(error) };
  }
}
