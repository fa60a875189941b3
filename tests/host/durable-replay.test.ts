import { describe, expect, it } from 'vitest';
import { EventType, historyEvent, type HistoryEvent } from '../../shared/local-host/durable/history';
import { ActionType, NonDeterminismError, replay, type Action, type Decision } from '../../shared/local-host/durable/replay';

// The replay walk that gives each new action the id DTFx would give it (../shared/durable-protocol.md §4.2–4.3).
const T0 = Date.parse('2024-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const context = { instanceId: 'i1', executionId: 'e1', newRequestId: () => 'req-1' };

const started = historyEvent(EventType.ExecutionStarted, at(0), { Name: 'Orch', Input: null });
const episode = (seconds: number) => historyEvent(EventType.OrchestratorStarted, at(seconds));
const completed = (id: number, result: unknown, seconds: number) => historyEvent(EventType.TaskCompleted, at(seconds), { TaskScheduledId: id, Result: JSON.stringify(result) });
const failed = (id: number, seconds: number) => historyEvent(EventType.TaskFailed, at(seconds), { TaskScheduledId: id, Reason: 'boom', Details: '' });
const fired = (id: number, seconds: number) => historyEvent(EventType.TimerFired, at(seconds), { TimerId: id, FireAt: at(seconds) });

/** Replays, then records the new decisions' scheduling events as the engine commits them. */
function step(history: HistoryEvent[], actions: Action[], newEvents: HistoryEvent[], seconds: number): Decision[] {
  history.push(episode(seconds), ...newEvents);
  const decisions = replay(history, actions, context);
  history.push(...decisions.map((decision) => decision.event));
  return decisions;
}

const brief = (decisions: Decision[]) => decisions.map((d) => (d.kind === 'timer' ? `timer ${d.id} @${(Date.parse(d.fireAt) - T0) / 1000}s` : `${d.kind} ${d.id}`));

describe('replay: ids and new work', () => {
  it('schedules a retried activity beside a plain one with DTFx ids: a backoff timer after each failure', () => {
    const retry: Action = {
      actionType: ActionType.CallActivityWithRetry,
      functionName: 'Flaky',
      input: 'x',
      retryOptions: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 4, backoffCoefficient: 2 },
    };
    const plain: Action = { actionType: ActionType.CallActivity, functionName: 'Plain', input: 1 };
    const all: Action = { actionType: ActionType.WhenAll, compoundActions: [retry, plain] };
    const after: Action = { actionType: ActionType.CallActivity, functionName: 'After' };
    const history: HistoryEvent[] = [];

    history.push(started);
    expect(brief(step(history, [all], [], 0))).toEqual(['activity 0', 'activity 1']);
    expect(brief(step(history, [all], [failed(0, 1), completed(1, 'p', 1)], 1))).toEqual(['timer 2 @2s']);
    expect(brief(step(history, [all], [fired(2, 2)], 2))).toEqual(['activity 3']);
    expect(brief(step(history, [all], [failed(3, 3)], 3))).toEqual(['timer 4 @5s']); // 1 s × 2¹
    expect(brief(step(history, [all], [fired(4, 5)], 5))).toEqual(['activity 5']);
    // The retry succeeds: Task.all is done, so the next top-level action takes id 6.
    expect(brief(step(history, [all, after], [completed(5, 'ok', 6)], 6))).toEqual(['activity 6']);
  });

  it('gives up after the last attempt only once its backoff timer fired', () => {
    const retry: Action = { actionType: ActionType.CallActivityWithRetry, functionName: 'Flaky', retryOptions: { firstRetryIntervalInMilliseconds: 500, maxNumberOfAttempts: 2 } };
    const history: HistoryEvent[] = [started];
    expect(brief(step(history, [retry], [], 0))).toEqual(['activity 0']);
    expect(brief(step(history, [retry], [failed(0, 1)], 1))).toEqual(['timer 1 @1.5s']);
    expect(brief(step(history, [retry], [fired(1, 2)], 2))).toEqual(['activity 2']);
    expect(brief(step(history, [retry], [failed(2, 3)], 3))).toEqual(['timer 3 @3.5s']);
    // Exhausted: no further attempt after the last timer.
    expect(brief(step(history, [retry], [fired(3, 4)], 4))).toEqual([]);
  });

  it('runs top-level actions one after another, and Task.any children at once', () => {
    const timer: Action = { actionType: ActionType.CreateTimer, fireAt: at(60), isCanceled: false };
    const event: Action = { actionType: ActionType.WaitForExternalEvent, externalEventName: 'Approve' };
    const any: Action = { actionType: ActionType.WhenAny, compoundActions: [event, timer] };
    const next: Action = { actionType: ActionType.CallActivity, functionName: 'Notify' };
    const history: HistoryEvent[] = [started];
    expect(brief(step(history, [any, next], [], 0))).toEqual(['timer 0 @60s']);
    // The event wins: the next action is reached and gets id 1, while the timer stays id 0.
    const raised = historyEvent(EventType.EventRaised, at(5), { Name: 'Approve', Input: '"yes"' });
    expect(brief(step(history, [any, next], [raised], 5))).toEqual(['activity 1']);
  });

  it('names the sub-orchestration instance after the execution and task id unless one is given', () => {
    const history: HistoryEvent[] = [started];
    const [child] = step(history, [{ actionType: ActionType.CallSubOrchestrator, functionName: 'Child', input: { a: 1 } }], [], 0);
    expect(child).toMatchObject({ kind: 'subOrchestration', instanceId: 'e1:0', input: '{"a":1}' });
  });

  it('reuses the request id recorded for an entity call when replaying it', () => {
    const call: Action = { actionType: ActionType.CallEntity, instanceId: '@counter@k', operation: 'get' };
    const history: HistoryEvent[] = [started];
    const [sent] = step(history, [call], [], 0);
    expect(sent).toMatchObject({ kind: 'entityOperation', requestId: 'req-1', signal: false, entityId: '@counter@k' });
    const replayed = replay([...history, episode(1)], [call], { ...context, newRequestId: () => 'req-2' });
    expect(replayed).toEqual([]);
  });

  it('refuses an action that differs from what the history recorded under its id', () => {
    const history: HistoryEvent[] = [started];
    step(history, [{ actionType: ActionType.CallActivity, functionName: 'Hello' }], [], 0);
    expect(() => replay([...history, episode(1)], [{ actionType: ActionType.CallActivity, functionName: 'Goodbye' }], context)).toThrow(NonDeterminismError);
    expect(() => replay([...history, episode(1)], [{ actionType: ActionType.CreateTimer, fireAt: at(9) }], context)).toThrow(/task 0 was activity 'Hello'.*asks for a timer/);
    // Function names compare case-insensitively, as in .NET.
    expect(replay([...history, episode(1)], [{ actionType: ActionType.CallActivity, functionName: 'hello' }], context)).toEqual([]);
  });
});
