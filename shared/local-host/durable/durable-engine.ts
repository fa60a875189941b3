import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import type { RegisteredFunction, FunctionRegistry } from '../function-registry';
import type { Invoker } from '../invoker';
import type { HostLogger } from '../logger';
import { DurableStore, type ActivityWork, type EntityOperation, type InstanceRow, type ParentRef } from './durable-store';
import { continueAsNewAction, continueAsNewInput, episodeTime, orchestratorInput, orchestratorOutcome, type OrchestratorState } from './episode';
import { EventType, historyEvent, isTerminal, type HistoryEvent, type RuntimeStatus } from './history';
import { NonDeterminismError, replay, type Decision } from './replay';
import { WorkQueue } from './work-queue';

export interface DurableSettings {
  hubName: string;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  maxEntityOperationBatchSize: number;
}

/** `extensions.durableTask` in host.json, with the extension's defaults. */
export function durableSettings(hostJson: Record<string, unknown>): DurableSettings {
  const extensions = (hostJson.extensions ?? {}) as Record<string, unknown>;
  const durable = (extensions.durableTask ?? {}) as Record<string, unknown>;
  const positive = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback);
  const cores = cpus().length || 1;
  return {
    hubName: typeof durable.hubName === 'string' && durable.hubName ? durable.hubName : 'TestHubName',
    maxConcurrentActivityFunctions: positive(durable.maxConcurrentActivityFunctions, 10 * cores),
    maxConcurrentOrchestratorFunctions: positive(durable.maxConcurrentOrchestratorFunctions, 10 * cores),
    maxEntityOperationBatchSize: positive(durable.maxEntityOperationBatchSize, 50),
  };
}

export class DurableError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EngineStats {
  episodes: number;
  activities: number;
  /** The latest episodes' wall time and the part spent in the orchestrator function (ms), for percentiles. */
  recent: { episodeMs: number; orchestratorMs: number }[];
}

const RECENT_EPISODES = 10_000;

/** What an episode's commit set in motion, dispatched once the transaction is durable. */
interface Effects {
  activities: ActivityWork[];
  instances: Set<string>;
  entities: Set<string>;
  /** Durable timers created, by instance: one already due (a slow episode) runs at once. */
  timers: { instanceId: string; fireAt: number }[];
}

const TRIGGERS = { orchestration: 'orchestrationtrigger', activity: 'activitytrigger', entity: 'entitytrigger' } as const;

/**
 * Plays the Durable Task extension's part: keeps the task hub (durable-store.ts), runs
 * orchestrator episodes by replaying history through the app's genuine `durable-functions`
 * handlers, runs activities and entity batches, fires durable timers, and offers the instance
 * operations the HTTP API exposes. Work interrupted by a crash is found in the store and redone
 * at start (activities at least once, as in Azure); nothing is dispatched before it is committed.
 */
export class DurableEngine {
  readonly stats: EngineStats = { episodes: 0, activities: 0, recent: [] };
  private readonly functions = { orchestration: new Map<string, RegisteredFunction>(), activity: new Map<string, RegisteredFunction>(), entity: new Map<string, RegisteredFunction>() };
  private store!: DurableStore;
  private readonly orchestrations: WorkQueue;
  private readonly activityQueue: WorkQueue;
  private readonly entityQueue: WorkQueue;
  private readonly pendingActivities = new Map<string, ActivityWork>();
  private readonly completionWaiters = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | undefined;
  private alarmAt: number | undefined;
  private running = false;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger,
    readonly settings: DurableSettings,
  ) {
    const report = (what: string) => (key: string, error: unknown) => this.logger.error(`Durable ${what} ${key} failed in the engine: ${(error as Error)?.stack ?? String(error)}`);
    this.orchestrations = new WorkQueue(settings.maxConcurrentOrchestratorFunctions, (id) => this.runEpisode(id), report('orchestration'));
    this.activityQueue = new WorkQueue(settings.maxConcurrentActivityFunctions, (key) => this.runActivity(key), report('activity'));
    this.entityQueue = new WorkQueue(1_000, (id) => this.runEntityBatch(id), report('entity'));
  }

  static readonly triggerTypes: readonly string[] = Object.values(TRIGGERS);

  /** Indexes the app's orchestrator, activity and entity functions (names compare case-insensitively, as in .NET). */
  prepare(file: string): void {
    for (const fn of this.registry.functions.values()) {
      const type = (fn.trigger.type ?? '').toLowerCase();
      for (const [kind, trigger] of Object.entries(TRIGGERS) as [keyof typeof TRIGGERS, string][]) {
        if (type === trigger) this.functions[kind].set(fn.name.toLowerCase(), fn);
      }
    }
    this.store = DurableStore.open(file);
  }

  get hasFunctions(): boolean {
    return Object.values(this.functions).some((map) => map.size > 0);
  }

  /** Picks up where the last run stopped: due events, unfinished activities, queued entity operations. */
  start(): void {
    this.running = true;
    for (const work of this.store.activities()) this.dispatchActivity(work);
    for (const id of this.store.entitiesWithOperations()) this.entityQueue.schedule(id);
    this.fireDueTimers();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.all([this.orchestrations.stop(), this.activityQueue.stop(), this.entityQueue.stop()]);
  }

  close(): void {
    this.store?.close();
  }

  // ---- instance operations (the HTTP API) ----

  instance(instanceId: string): InstanceRow | undefined {
    return this.store.instance(instanceId);
  }

  history(instanceId: string): HistoryEvent[] {
    return this.store.history(instanceId);
  }

  get hub(): DurableStore {
    return this.store;
  }

  startNew(name: string, options: { instanceId?: string; input?: string | null; version?: string; parent?: ParentRef } = {}): string {
    const fn = this.functions.orchestration.get(name.toLowerCase());
    if (!fn) throw new DurableError(400, `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    assertInstanceId(instanceId);
    this.store.transaction(() => this.createInstance(fn.name, instanceId, options.input ?? null, options.version ?? null, options.parent ?? null));
    this.orchestrations.schedule(instanceId);
    return instanceId;
  }

  raiseEvent(instanceId: string, name: string, input: string | undefined): void {
    const instance = this.existing(instanceId);
    if (isTerminal(instance.status)) throw new DurableError(410, `The instance ${instanceId} has already completed (${instance.status}).`);
    this.store.enqueue(instanceId, null, historyEvent(EventType.EventRaised, new Date(), { Name: name, ...(input === undefined ? {} : { Input: input }) }));
    if (instance.status !== 'Suspended') this.orchestrations.schedule(instanceId);
  }

  terminate(instanceId: string, reason: string): void {
    this.store.transaction(() => {
      const instance = this.existing(instanceId);
      if (isTerminal(instance.status)) throw new DurableError(410, `The instance ${instanceId} has already completed (${instance.status}).`);
      const output = isJsonText(reason) ? reason : JSON.stringify(reason);
      this.store.appendHistory(instanceId, [historyEvent(EventType.ExecutionTerminated, new Date(), { Input: reason })]);
      this.store.dropPendingWork(instanceId);
      this.update(instance, { status: 'Terminated', output });
    });
    this.notifyCompletion(instanceId);
  }

  suspend(instanceId: string, reason: string): void {
    this.store.transaction(() => {
      const instance = this.existing(instanceId);
      if (isTerminal(instance.status)) throw new DurableError(410, `The instance ${instanceId} has already completed (${instance.status}).`);
      if (instance.status === 'Suspended') throw new DurableError(500, `The instance ${instanceId} is already suspended.`);
      // Recorded in its history with the next episode, after resume; events meanwhile wait in the inbox.
      this.store.enqueue(instanceId, null, historyEvent(EventType.ExecutionSuspended, new Date(), { Reason: reason }));
      this.update(instance, { status: 'Suspended' });
    });
  }

  resume(instanceId: string, reason: string): void {
    this.store.transaction(() => {
      const instance = this.existing(instanceId);
      if (isTerminal(instance.status)) throw new DurableError(410, `The instance ${instanceId} has already completed (${instance.status}).`);
      if (instance.status !== 'Suspended') throw new DurableError(500, `The instance ${instanceId} is not suspended (${instance.status}).`);
      this.store.enqueue(instanceId, null, historyEvent(EventType.ExecutionResumed, new Date(), { Reason: reason }));
      this.update(instance, { status: this.store.history(instanceId).length ? 'Running' : 'Pending' });
    });
    this.orchestrations.schedule(instanceId);
  }

  /** Starts the same orchestrator with the same input: under a new id by default, as `RestartAsync` does. */
  restart(instanceId: string, withNewInstanceId: boolean): string {
    const instance = this.existing(instanceId);
    if (!withNewInstanceId && !isTerminal(instance.status))
      throw new DurableError(500, `The instance ${instanceId} is still ${instance.status}; only a finished instance can restart under its own id.`);
    return this.startNew(instance.name, { instanceId: withNewInstanceId ? undefined : instanceId, input: instance.input, ...(instance.version ? { version: instance.version } : {}) });
  }

  purge(instanceId: string): boolean {
    return this.store.transaction(() => this.store.purge(instanceId));
  }

  signalEntity(name: string, key: string, operation: string, input: string | undefined): void {
    if (!this.functions.entity.has(name.toLowerCase())) throw new DurableError(400, `The function '${name}' doesn't exist, is disabled, or is not an entity function.`);
    const entityId = `@${name.toLowerCase()}@${key}`;
    this.store.addEntityOperation(entityId, { requestId: randomUUID(), operation, ...(input === undefined ? {} : { input }), signal: true });
    this.entityQueue.schedule(entityId);
  }

  readEntity(name: string, key: string): { exists: boolean; state: string | null } {
    return this.store.entity(`@${name.toLowerCase()}@${key}`);
  }

  /** Resolves when the instance is finished, or after `timeoutMs`. */
  async waitForCompletion(instanceId: string, timeoutMs: number): Promise<InstanceRow | undefined> {
    const done = () => {
      const row = this.store.instance(instanceId);
      return row && isTerminal(row.status) ? row : undefined;
    };
    if (done() || timeoutMs <= 0) return this.store.instance(instanceId);
    await new Promise<void>((resolve) => {
      const waiters = this.completionWaiters.get(instanceId) ?? new Set();
      this.completionWaiters.set(instanceId, waiters);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(finish);
        if (waiters.size === 0) this.completionWaiters.delete(instanceId);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      waiters.add(finish);
    });
    return this.store.instance(instanceId);
  }

  // ---- orchestrations ----

  private async runEpisode(instanceId: string): Promise<void> {
    const instance = this.store.instance(instanceId);
    if (instance?.status === 'Suspended') return;
    const messages = this.store.visibleMessages(instanceId);
    if (!instance || isTerminal(instance.status)) {
      // Late arrivals for a finished or purged instance (a child's result, a timer): nobody will read them.
      if (messages.length) this.store.transaction(() => this.store.deleteMessages(messages.map((message) => message.id)));
      return;
    }
    const current = messages.filter((message) => message.executionId === null || message.executionId === instance.executionId);
    if (current.length === 0) {
      if (messages.length) this.store.transaction(() => this.store.deleteMessages(messages.map((message) => message.id)));
      return;
    }
    const started = performance.now();
    const past = this.store.history(instanceId);
    const newEvents = current.map((message) => ({ ...message.event, IsPlayed: false }));
    const timestamp = new Date(episodeTime(Date.now(), newEvents));
    const episodeStart = historyEvent(EventType.OrchestratorStarted, timestamp);
    const history = [...past, episodeStart, ...newEvents];

    const fn = this.functions.orchestration.get(instance.name.toLowerCase());
    let result: { state: OrchestratorState } | { failure: string };
    let orchestratorMs = 0;
    if (!fn) {
      result = { failure: `The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function.` };
    } else {
      const invoked = performance.now();
      result = orchestratorOutcome(await this.invoke(fn, { string: JSON.stringify(orchestratorInput(instance, history, past.length > 0)) }));
      orchestratorMs = performance.now() - invoked;
    }

    let decisions: Decision[] = [];
    if ('state' in result) {
      try {
        decisions = replay(history, result.state.actions?.[0] ?? [], { instanceId, executionId: instance.executionId, newRequestId: randomUUID });
        const missing = this.missingTarget(decisions);
        if (missing) result = { failure: missing };
      } catch (error) {
        // Non-determinism, or actions this engine cannot read: the instance fails rather than stalls.
        result = { failure: error instanceof NonDeterminismError ? error.message : `The orchestrator returned actions the host cannot run: ${String(error)}` };
      }
    }

    const effects: Effects = { activities: [], instances: new Set(), entities: new Set(), timers: [] };
    const committed = await this.store.commit(() => {
      const latest = this.store.instance(instanceId);
      // Terminated, suspended, purged or restarted meanwhile: this episode's outcome is void.
      if (!latest || latest.rev !== instance.rev) return false;
      this.store.deleteMessages(messages.map((message) => message.id));
      const recorded = [episodeStart, ...newEvents, ...decisions.map((decision) => decision.event), historyEvent(EventType.OrchestratorCompleted, timestamp)];
      this.store.appendHistory(instanceId, recorded);
      this.finishEpisode(instance, result, decisions, timestamp, effects);
      return true;
    });
    this.recordEpisode(performance.now() - started, orchestratorMs);
    if (!committed) {
      this.orchestrations.schedule(instanceId);
      return;
    }
    this.dispatch(effects);
    const after = this.store.instance(instanceId);
    if (after && isTerminal(after.status)) this.notifyCompletion(instanceId);
  }

  /** The status, output and follow-up work of a committed episode (inside its transaction). */
  private finishEpisode(instance: InstanceRow, result: { state: OrchestratorState } | { failure: string }, decisions: Decision[], timestamp: Date, effects: Effects): void {
    const state = 'state' in result ? result.state : undefined;
    const customStatus = state?.customStatus === undefined || state.customStatus === null ? null : JSON.stringify(state.customStatus);
    const failure = 'failure' in result ? result.failure : state?.error;
    if (failure !== undefined) {
      const output = JSON.stringify(`Orchestrator function '${instance.name}' failed: ${failure}`);
      this.complete(instance, 'Failed', output, customStatus, timestamp, effects);
      this.sendSignals(decisions, effects);
      return;
    }
    const continueAsNew = state!.isDone ? continueAsNewAction(state!) : undefined;
    if (continueAsNew) {
      const executionId = randomUUID().replace(/-/g, '');
      const input = continueAsNewInput(continueAsNew);
      this.store.clearHistory(instance.instanceId);
      this.store.dropPendingWork(instance.instanceId);
      this.store.enqueue(instance.instanceId, executionId, executionStarted(instance.name, instance.instanceId, executionId, input, instance.version, instance.parent));
      this.update(instance, { status: 'Running', executionId, input, output: null, customStatus });
      this.sendSignals(decisions, effects);
      effects.instances.add(instance.instanceId);
      return;
    }
    if (state!.isDone) {
      this.complete(instance, 'Completed', JSON.stringify(state!.output ?? null), customStatus, timestamp, effects);
      this.sendSignals(decisions, effects);
      return;
    }
    this.update(instance, { status: 'Running', customStatus });
    for (const decision of decisions) this.schedule(instance, decision, effects);
  }

  private complete(instance: InstanceRow, status: 'Completed' | 'Failed', output: string, customStatus: string | null, timestamp: Date, effects: Effects): void {
    this.store.appendHistory(instance.instanceId, [historyEvent(EventType.ExecutionCompleted, timestamp, { OrchestrationStatus: status === 'Completed' ? 1 : 3, Result: output })]);
    this.store.dropPendingWork(instance.instanceId);
    this.update(instance, { status, output, customStatus });
    const parent = instance.parent;
    if (!parent) return;
    const reply =
      status === 'Completed'
        ? historyEvent(EventType.SubOrchestrationInstanceCompleted, timestamp, { TaskScheduledId: parent.taskId, Result: output })
        : historyEvent(EventType.SubOrchestrationInstanceFailed, timestamp, { TaskScheduledId: parent.taskId, Reason: JSON.parse(output), Details: '' });
    this.store.enqueue(parent.instanceId, parent.executionId, reply);
    effects.instances.add(parent.instanceId);
  }

  private schedule(instance: InstanceRow, decision: Decision, effects: Effects): void {
    switch (decision.kind) {
      case 'activity': {
        const work = { instanceId: instance.instanceId, executionId: instance.executionId, taskId: decision.id, name: decision.name, input: decision.input };
        effects.activities.push({ id: this.store.addActivity(work), ...work });
        return;
      }
      case 'timer':
        this.store.enqueue(
          instance.instanceId,
          instance.executionId,
          historyEvent(EventType.TimerFired, decision.fireAt, { TimerId: decision.id, FireAt: decision.fireAt }),
          Date.parse(decision.fireAt),
        );
        effects.timers.push({ instanceId: instance.instanceId, fireAt: Date.parse(decision.fireAt) });
        return;
      case 'subOrchestration': {
        const existing = this.store.instance(decision.instanceId);
        if (existing && !isTerminal(existing.status)) {
          const reason = `An orchestration with instance ID '${decision.instanceId}' already exists and is ${existing.status}.`;
          this.store.enqueue(
            instance.instanceId,
            instance.executionId,
            historyEvent(EventType.SubOrchestrationInstanceFailed, new Date(), { TaskScheduledId: decision.id, Reason: reason, Details: '' }),
          );
          effects.instances.add(instance.instanceId);
          return;
        }
        const fn = this.functions.orchestration.get(decision.name.toLowerCase())!;
        this.createInstance(fn.name, decision.instanceId, decision.input, decision.version ?? null, { instanceId: instance.instanceId, executionId: instance.executionId, taskId: decision.id });
        effects.instances.add(decision.instanceId);
        return;
      }
      case 'entityOperation':
        this.store.addEntityOperation(decision.entityId, {
          requestId: decision.requestId,
          operation: decision.operation,
          ...(decision.input === undefined ? {} : { input: decision.input }),
          signal: decision.signal,
          ...(decision.signal ? {} : { parent: instance.instanceId }),
        });
        effects.entities.add(decision.entityId);
        return;
    }
  }

  /** One-way entity signals still go out when the orchestration ends in the same episode. */
  private sendSignals(decisions: Decision[], effects: Effects): void {
    for (const decision of decisions) {
      if (decision.kind === 'entityOperation' && decision.signal) {
        this.store.addEntityOperation(decision.entityId, {
          requestId: decision.requestId,
          operation: decision.operation,
          ...(decision.input === undefined ? {} : { input: decision.input }),
          signal: true,
        });
        effects.entities.add(decision.entityId);
      }
    }
  }

  private missingTarget(decisions: Decision[]): string | undefined {
    for (const decision of decisions) {
      if (decision.kind === 'activity' && decision.name === 'BuiltIn::HttpActivity') return 'callHttp is not supported by the local host.';
      if (decision.kind === 'activity' && !this.functions.activity.has(decision.name.toLowerCase())) {
        return `The function '${decision.name}' doesn't exist, is disabled, or is not an activity function.`;
      }
      if (decision.kind === 'subOrchestration' && !this.functions.orchestration.has(decision.name.toLowerCase())) {
        return `The function '${decision.name}' doesn't exist, is disabled, or is not an orchestrator function.`;
      }
      if (decision.kind === 'entityOperation' && !this.functions.entity.has(entityName(decision.entityId))) {
        return `The function '${entityName(decision.entityId)}' doesn't exist, is disabled, or is not an entity function.`;
      }
    }
    return undefined;
  }

  private createInstance(name: string, instanceId: string, input: string | null, version: string | null, parent: ParentRef | null): void {
    const existing = this.store.instance(instanceId);
    if (existing && !isTerminal(existing.status)) throw new DurableError(500, `An Orchestration instance with the status ${existing.status} already exists.`);
    const now = Date.now();
    const executionId = randomUUID().replace(/-/g, '');
    this.store.purge(instanceId);
    this.store.putInstance({
      instanceId,
      name,
      executionId,
      status: 'Pending',
      input,
      output: null,
      customStatus: null,
      version,
      parent,
      createdAt: now,
      updatedAt: now,
      rev: (existing?.rev ?? 0) + 1,
    });
    this.store.enqueue(instanceId, executionId, executionStarted(name, instanceId, executionId, input, version, parent));
  }

  private update(instance: InstanceRow, changes: Partial<InstanceRow>): void {
    const latest = this.store.instance(instance.instanceId) ?? instance;
    this.store.putInstance({ ...latest, ...changes, updatedAt: Date.now(), rev: latest.rev + 1 });
  }

  private existing(instanceId: string): InstanceRow {
    const instance = this.store.instance(instanceId);
    if (!instance) throw new DurableError(404, `No instance with ID '${instanceId}' was found.`);
    return instance;
  }

  private notifyCompletion(instanceId: string): void {
    for (const finish of [...(this.completionWaiters.get(instanceId) ?? [])]) finish();
  }

  // ---- activities ----

  private dispatchActivity(work: ActivityWork): void {
    const key = `activity:${work.id}`;
    this.pendingActivities.set(key, work);
    this.activityQueue.schedule(key);
  }

  private async runActivity(key: string): Promise<void> {
    const work = this.pendingActivities.get(key)!;
    this.pendingActivities.delete(key);
    const fn = this.functions.activity.get(work.name.toLowerCase());
    let event: HistoryEvent;
    const outcome = fn
      ? await this.invoke(fn, work.input === undefined ? {} : { string: work.input }, { instanceId: { string: work.instanceId } })
      : { error: new Error(`The function '${work.name}' doesn't exist, is disabled, or is not an activity function.`) };
    if (outcome.error === undefined) {
      event = historyEvent(EventType.TaskCompleted, new Date(), { TaskScheduledId: work.taskId, Result: JSON.stringify(outcome.value ?? null) });
    } else {
      const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
      // The genuine reason text: the shim cuts the host's "Exception: <message>" at its label, hence two spaces.
      event = historyEvent(EventType.TaskFailed, new Date(), {
        TaskScheduledId: work.taskId,
        Reason: `Activity function '${work.name}' failed:  ${error.message}`,
        Details: JSON.stringify({ Message: ` ${error.message}`, StackTrace: error.stack ?? null }),
      });
    }
    this.stats.activities += 1;
    const delivered = await this.store.commit(() => {
      if (!this.store.deleteActivity(work.id)) return false;
      const instance = this.store.instance(work.instanceId);
      // A result for an older execution or a finished instance is dropped, as the extension drops it.
      if (!instance || instance.executionId !== work.executionId || isTerminal(instance.status)) return false;
      this.store.enqueue(work.instanceId, work.executionId, event);
      return true;
    });
    if (delivered) this.orchestrations.schedule(work.instanceId);
  }

  // ---- entities ----

  private async runEntityBatch(entityId: string): Promise<void> {
    const queued = this.store.entityOperations(entityId, this.settings.maxEntityOperationBatchSize);
    if (queued.length === 0) return;
    const name = entityName(entityId);
    const key = entityId.slice(name.length + 2);
    const fn = this.functions.entity.get(name);
    const current = this.store.entity(entityId);
    const outcome = fn
      ? await this.invoke(fn, {
          string: JSON.stringify({
            self: { name, key },
            exists: current.exists,
            state: current.state,
            batch: queued.map(({ operation }) => ({ name: operation.operation, input: operation.input ?? null, isSignal: operation.signal })),
          }),
        })
      : { error: new Error(`The function '${name}' doesn't exist, is disabled, or is not an entity function.`) };
    const result = outcome.error === undefined ? (JSON.parse(JSON.stringify(outcome.value ?? null)) as EntityResult | null) : null;
    const effects: Effects = { activities: [], instances: new Set(), entities: new Set(), timers: [] };
    await this.store.commit(() => {
      if (result) this.store.putEntity(entityId, result.entityExists, result.entityState ?? null);
      this.store.deleteEntityOperations(queued.map(({ id }) => id));
      queued.forEach(({ operation }, index) => {
        if (operation.signal || !operation.parent) return;
        const answer = result?.results?.[index];
        const response = !answer
          ? { exceptionType: 'Error', result: JSON.stringify({ message: String((outcome.error as Error)?.message ?? outcome.error) }) }
          : answer.isError
            ? { exceptionType: 'Error', result: answer.result }
            : answer.result === undefined
              ? {}
              : { result: answer.result };
        this.store.enqueue(operation.parent, null, historyEvent(EventType.EventRaised, new Date(), { Name: operation.requestId, Input: JSON.stringify(response) }));
        effects.instances.add(operation.parent);
      });
      for (const signal of result?.signals ?? []) {
        const target = `@${signal.target.name.toLowerCase()}@${signal.target.key}`;
        const forwarded: EntityOperation = {
          requestId: signal.requestId ?? randomUUID(),
          operation: signal.name,
          ...(signal.input === undefined || signal.input === null ? {} : { input: signal.input }),
          signal: true,
        };
        this.store.addEntityOperation(target, forwarded);
        effects.entities.add(target);
      }
    });
    if (outcome.error !== undefined) this.logger.error(`Entity '${entityId}' failed its batch: ${String((outcome.error as Error)?.message ?? outcome.error)}`);
    this.dispatch(effects);
    // More operations may have queued meanwhile.
    if (this.store.entityOperations(entityId, 1).length) this.entityQueue.schedule(entityId);
  }

  // ---- plumbing ----

  private recordEpisode(episodeMs: number, orchestratorMs: number): void {
    this.stats.episodes += 1;
    if (this.stats.recent.length === RECENT_EPISODES) this.stats.recent.shift();
    this.stats.recent.push({ episodeMs, orchestratorMs });
  }

  private async invoke(fn: RegisteredFunction, trigger: Record<string, unknown>, triggerMetadata?: Record<string, { string: string }>): Promise<{ value?: unknown; error?: unknown }> {
    try {
      const outcome = await this.invoker.invoke(fn, { trigger, ...(triggerMetadata ? { triggerMetadata } : {}) });
      return { value: outcome.result };
    } catch (error) {
      return { error: error ?? new Error('The function failed without an error') };
    }
  }

  private dispatch(effects: Effects): void {
    if (!this.running) return;
    for (const work of effects.activities) this.dispatchActivity(work);
    for (const id of effects.instances) this.orchestrations.schedule(id);
    for (const id of effects.entities) this.entityQueue.schedule(id);
    const now = Date.now();
    for (const timer of effects.timers) {
      // Already due (the episode was slow): run now. Else wake for it unless woken earlier anyway.
      if (timer.fireAt <= now) this.orchestrations.schedule(timer.instanceId);
      else if (this.alarmAt === undefined || timer.fireAt < this.alarmAt) this.setAlarm(timer.fireAt, now);
    }
  }

  /** Schedules every instance with an event due, then sets the alarm for the next one. */
  private fireDueTimers(): void {
    this.alarmAt = undefined;
    if (!this.running) return;
    // One `now` for both queries, so an event due in between is neither missed nor doubled.
    const now = Date.now();
    for (const id of this.store.dueInstances(now)) this.orchestrations.schedule(id);
    const next = this.store.nextDueAt(now);
    if (next !== undefined) this.setAlarm(next, now);
  }

  /** One timeout for the earliest known due time; it is only ever moved earlier, never past a due event. */
  private setAlarm(at: number, now: number): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.alarmAt = at;
    this.timer = setTimeout(() => this.fireDueTimers(), Math.min(Math.max(0, at - now), 2 ** 31 - 1));
  }
}

interface EntityResult {
  entityExists: boolean;
  entityState?: string | null;
  results?: { isError: boolean; result?: string }[];
  signals?: { target: { name: string; key: string }; name: string; input?: string | null; requestId?: string }[];
}

function entityName(entityId: string): string {
  return entityId.slice(1, entityId.indexOf('@', 1));
}

function executionStarted(name: string, instanceId: string, executionId: string, input: string | null, version: string | null, parent: ParentRef | null): HistoryEvent {
  return historyEvent(EventType.ExecutionStarted, new Date(), {
    Name: name,
    Input: input,
    Version: version ?? '',
    OrchestrationInstance: { InstanceId: instanceId, ExecutionId: executionId },
    ParentInstance: parent ? { OrchestrationInstance: { InstanceId: parent.instanceId, ExecutionId: parent.executionId }, TaskScheduleId: parent.taskId } : null,
  });
}

/** Instance ids as the extension accepts them. */
function assertInstanceId(instanceId: string): void {
  if (!instanceId || instanceId.length > 256 || instanceId.startsWith('@') || /[/\\#?\u0000-\u001f\u007f]/.test(instanceId)) {
    throw new DurableError(400, `Instance ID '${instanceId}' is not valid: it must be 1–256 characters, must not start with '@', and must not contain '/', '\\', '#', '?' or control characters.`);
  }
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export type { RuntimeStatus };
