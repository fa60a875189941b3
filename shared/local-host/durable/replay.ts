import { EventType, historyEvent, type HistoryEvent } from './history';

/**
 * Decides which of an orchestrator's actions are new work, with the ids the Durable Task
 * Framework would give them. The extension re-executes the returned action list against DTFx on
 * every episode: top-level actions run one after another, each awaited; `Task.all` / `Task.any`
 * start all their children; every scheduled task, timer, sub-orchestration and sent event takes
 * the next id. The `durable-functions` package numbers its tasks the same way, so replaying the
 * history through the same walk gives each completion to the action it belongs to, and an id
 * whose past scheduling event names something else is non-determinism.
 * (../shared/durable-protocol.md §4.2–4.3.)
 */

export type Decision =
  | { kind: 'activity'; id: number; name: string; input: string | undefined; event: HistoryEvent }
  | { kind: 'subOrchestration'; id: number; name: string; instanceId: string; input: string; version?: string; event: HistoryEvent }
  | { kind: 'timer'; id: number; fireAt: string; event: HistoryEvent }
  | { kind: 'entityOperation'; id: number; entityId: string; operation: string; input: string | undefined; requestId: string; signal: boolean; event: HistoryEvent };

export class NonDeterminismError extends Error {}

export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptions;
  instanceId?: string;
  version?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  operation?: string;
  compoundActions?: Action[];
  httpRequest?: unknown;
}

interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
} as const;

const SCHEDULING = new Set<number>([EventType.TaskScheduled, EventType.SubOrchestrationInstanceCreated, EventType.TimerCreated, EventType.EventSent]);
const SIX_DAYS_MS = 6 * 24 * 60 * 60 * 1000;

export interface ReplayContext {
  instanceId: string;
  executionId: string;
  newRequestId: () => string;
}

type Done = (event?: HistoryEvent) => void;

/** Activity and ContinueAsNew inputs arrive JSON-encoded when they were strings (the package's `processInput`). */
export function activityInputText(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  return typeof input === 'string' ? input : JSON.stringify(input);
}

export function replay(history: readonly HistoryEvent[], actions: readonly Action[], context: ReplayContext): Decision[] {
  const past = new Map<number, HistoryEvent>();
  for (const event of history) if (SCHEDULING.has(event.EventType)) past.set(event.EventId, event);
  const open = new Map<number, Done>();
  const waiters = new Map<string, Done[]>();
  const buffered = new Map<string, HistoryEvent[]>();
  const decisions: Decision[] = [];
  let sequence = 0;
  let now = history[0]?.Timestamp ?? new Date().toISOString();

  /** Takes the next id; returns the past scheduling event when this action was already scheduled. */
  const allocate = (type: number, name: string, make: (id: number) => Decision): { id: number; prior?: HistoryEvent } => {
    const id = sequence++;
    const prior = past.get(id);
    if (prior) {
      const priorName = String((prior.EventType === EventType.EventSent ? prior.InstanceId : prior.Name) ?? '');
      const sameName = type === EventType.TimerCreated || priorName.toLowerCase() === name.toLowerCase();
      if (prior.EventType !== type || !sameName) {
        throw new NonDeterminismError(
          `Non-deterministic workflow detected: task ${id} was ${describe(prior.EventType, priorName)} in the history, but the orchestrator now asks for ${describe(type, name)}. ` +
            'An orchestrator must make the same calls in the same order on every replay.',
        );
      }
      return { id, prior };
    }
    decisions.push(make(id));
    return { id };
  };

  const waitForEvent = (name: string, done: Done) => {
    const queued = buffered.get(name);
    if (queued?.length) return done(queued.shift());
    waiters.set(name, [...(waiters.get(name) ?? []), done]);
  };

  const scheduleActivity = (action: Action, done: Done) => {
    const name = action.actionType === ActionType.CallHttp ? 'BuiltIn::HttpActivity' : action.functionName!;
    const input = action.actionType === ActionType.CallHttp ? JSON.stringify(action.httpRequest) : activityInputText(action.input);
    const { id } = allocate(EventType.TaskScheduled, name, (id) => ({
      kind: 'activity',
      id,
      name,
      input,
      event: historyEvent(EventType.TaskScheduled, now, { Name: name, Input: input ?? null }, id),
    }));
    open.set(id, done);
  };

  const scheduleSubOrchestration = (action: Action, done: Done) => {
    const name = action.functionName!;
    const input = JSON.stringify(action.input ?? null);
    const { id } = allocate(EventType.SubOrchestrationInstanceCreated, name, (id) => {
      const instanceId = action.instanceId || `${context.executionId}:${id}`;
      return {
        kind: 'subOrchestration',
        id,
        name,
        instanceId,
        input,
        ...(action.version ? { version: action.version } : {}),
        event: historyEvent(EventType.SubOrchestrationInstanceCreated, now, { Name: name, InstanceId: instanceId, Input: input }, id),
      };
    });
    open.set(id, done);
  };

  const scheduleTimer = (fireAt: string, done: Done) => {
    const { id } = allocate(EventType.TimerCreated, '', (id) => ({ kind: 'timer', id, fireAt, event: historyEvent(EventType.TimerCreated, now, { FireAt: fireAt }, id) }));
    open.set(id, done);
  };

  const sendEntityOperation = (action: Action, signal: boolean): string => {
    const entityId = action.instanceId!;
    const operation = action.operation!;
    const input = action.input === undefined ? undefined : JSON.stringify(action.input);
    const requestId = context.newRequestId();
    const { prior } = allocate(EventType.EventSent, entityId, (id) => ({
      kind: 'entityOperation',
      id,
      entityId,
      operation,
      input,
      requestId,
      signal,
      event: historyEvent(EventType.EventSent, now, { InstanceId: entityId, Name: 'op', Input: JSON.stringify({ id: requestId, op: operation, signal, input, parent: context.instanceId }) }, id),
    }));
    return prior ? (JSON.parse(String(prior.Input)) as { id: string }).id : requestId;
  };

  const withRetry = (action: Action, done: Done) => {
    const options = action.retryOptions!;
    const firstAttempt = Date.parse(now);
    let retries = 0;
    const attempt = () => {
      const onOutcome: Done = (event) => {
        const failed = event?.EventType === EventType.TaskFailed || event?.EventType === EventType.SubOrchestrationInstanceFailed;
        if (!failed) return done(event);
        let delay = options.firstRetryIntervalInMilliseconds * (options.backoffCoefficient ?? 1) ** retries;
        delay = Math.min(delay, options.maxRetryIntervalInMilliseconds ?? SIX_DAYS_MS);
        const timeout = options.retryTimeoutInMilliseconds;
        if (timeout !== undefined && timeout > 0 && !(Date.parse(now) < firstAttempt + timeout)) delay = 0;
        if (!(delay > 0)) return done(event);
        // A timer after every failure, the last included, as DTFx's RetryInterceptor does.
        scheduleTimer(new Date(Date.parse(now) + delay).toISOString(), () => {
          retries += 1;
          if (retries < options.maxNumberOfAttempts) attempt();
          else done(event);
        });
      };
      if (action.actionType === ActionType.CallActivityWithRetry) scheduleActivity(action, onOutcome);
      else scheduleSubOrchestration(action, onOutcome);
    };
    attempt();
  };

  const run = (action: Action, done: Done): void => {
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallHttp:
        return scheduleActivity(action, done);
      case ActionType.CallActivityWithRetry:
      case ActionType.CallSubOrchestratorWithRetry:
        return withRetry(action, done);
      case ActionType.CallSubOrchestrator:
        return scheduleSubOrchestration(action, done);
      case ActionType.CreateTimer:
        return scheduleTimer(action.fireAt!, done);
      case ActionType.WaitForExternalEvent:
        return waitForEvent(action.externalEventName!, done);
      case ActionType.CallEntity:
        return waitForEvent(sendEntityOperation(action, false), done);
      case ActionType.SignalEntity:
        sendEntityOperation(action, true);
        return done();
      case ActionType.ContinueAsNew:
        return done();
      case ActionType.WhenAll: {
        const children = action.compoundActions ?? [];
        let remaining = children.length;
        if (remaining === 0) return done();
        for (const child of children) run(child, () => --remaining === 0 && done());
        return;
      }
      case ActionType.WhenAny: {
        let finished = false;
        for (const child of action.compoundActions ?? []) {
          run(child, () => {
            if (!finished) {
              finished = true;
              done();
            }
          });
        }
        return;
      }
      default:
        throw new NonDeterminismError(`The orchestrator returned an action of unknown type ${action.actionType}.`);
    }
  };

  let next = 0;
  const drive = (): void => {
    if (next < actions.length) run(actions[next++]!, drive);
  };

  for (const event of history) {
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
        now = event.Timestamp;
        break;
      case EventType.ExecutionStarted:
        drive();
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed:
        take(open, Number(event.TaskScheduledId))?.(event);
        break;
      case EventType.TimerFired:
        take(open, Number(event.TimerId))?.(event);
        break;
      case EventType.EventRaised: {
        const name = String(event.Name);
        const waiter = waiters.get(name)?.shift();
        if (waiter) waiter(event);
        else buffered.set(name, [...(buffered.get(name) ?? []), event]);
        break;
      }
    }
  }
  return decisions;
}

function take<K, V>(map: Map<K, V>, key: K): V | undefined {
  const value = map.get(key);
  map.delete(key);
  return value;
}

function describe(type: number, name: string): string {
  switch (type) {
    case EventType.TaskScheduled:
      return `activity '${name}'`;
    case EventType.SubOrchestrationInstanceCreated:
      return `sub-orchestration '${name}'`;
    case EventType.TimerCreated:
      return 'a timer';
    default:
      return `an operation on entity '${name}'`;
  }
}
