import { EventType, parseJsonText, type HistoryEvent } from './history';
import type { InstanceRow } from './durable-store';
import type { Action } from './replay';

/** What the orchestrator returns each episode (`OrchestratorState`, schema V3). */
export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

/** The label before the state JSON in an `OrchestrationFailureError` message. */
const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';

/**
 * The `orchestrationTrigger` binding data the extension sends: the history, and the schema and
 * timer settings the package requires. V3 (`upperSchemaVersionNew: 2`) as the genuine extension
 * declares; a short-timer limit of ten years so the package never splits a durable timer.
 */
export function orchestratorInput(instance: InstanceRow, history: HistoryEvent[], isReplaying: boolean): Record<string, unknown> {
  return {
    history,
    input: parseJsonText(instance.input),
    instanceId: instance.instanceId,
    isReplaying,
    parentInstanceId: instance.parent?.instanceId ?? null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '3650.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}

/** The state an orchestrator returned, or the one carried by the error it threw; else the plain failure message. */
export function orchestratorOutcome(result: { value?: unknown; error?: unknown }): { state: OrchestratorState } | { failure: string } {
  if (result.error === undefined) {
    // Through JSON as on the wire: Dates become strings, undefined fields disappear.
    return { state: JSON.parse(JSON.stringify(result.value ?? null)) as OrchestratorState };
  }
  const message = result.error instanceof Error ? result.error.message : String(result.error);
  const at = message.indexOf(OUT_OF_PROC_LABEL);
  if (at >= 0) {
    try {
      return { state: JSON.parse(message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorState };
    } catch {
      // fall through: a message that only looks like the package's
    }
  }
  return { failure: message };
}

/** The timestamp of the episode: now, but never before a timer being delivered is due. */
export function episodeTime(now: number, events: HistoryEvent[]): number {
  let time = now;
  for (const event of events) {
    if (event.EventType === EventType.TimerFired) time = Math.max(time, Date.parse(String(event.FireAt)));
  }
  return time;
}

export function continueAsNewAction(state: OrchestratorState): Action | undefined {
  return state.actions.flat().find((action) => action.actionType === 4);
}

/** A continueAsNew input as the new execution receives it (strings arrive JSON-encoded). */
export function continueAsNewInput(action: Action): string {
  const value = typeof action.input === 'string' ? JSON.parse(action.input) : action.input;
  return JSON.stringify(value ?? null);
}
