import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { FunctionRegistry, RegisteredFunction } from '../function-registry';
import type { Invoker } from '../invoker';
import type { HostLogger } from '../logger';
import { computeStartupStatus, defaultUseMonitor, parseSchedule, statusAfterInvocation, type Schedule, type ScheduleStatus } from './ncrontab/index';
import { resolveSettingReference } from '../setting-reference';

interface TimerState {
  fn: RegisteredFunction;
  schedule: Schedule;
  runOnStartup: boolean;
  useMonitor: boolean;
  status: ScheduleStatus;
  /** An occurrence was missed while the host was down: run it at start with isPastDue. */
  pastDueAtStart: boolean;
  /** The first (start-up) invocation has happened. */
  startedOnce?: boolean;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/** setTimeout's ceiling; longer waits are re-armed. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs timer triggers on their NCRONTAB schedules. Like the runtime's schedule monitor, it keeps
 * each timer's status (Last, Next, LastUpdated) on disk, so an occurrence missed while the host
 * was down is run at start with `isPastDue: true`, and one invocation of a timer never overlaps
 * the next.
 */
export class TimerScheduler {
  private readonly timers: TimerState[] = [];
  private stopped = false;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger,
    private readonly statusDir: string,
    private readonly timeZone: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Validates every schedule; a bad one stops start-up with a message naming the function. */
  prepare(): void {
    for (const fn of this.registry.byTriggerType('timerTrigger')) {
      const expression = resolveSettingReference(String(fn.trigger.schedule ?? ''));
      let schedule: Schedule;
      try {
        schedule = parseSchedule(expression, { timeZone: this.timeZone });
      } catch (error) {
        throw new Error(`The 'Functions.${fn.name}' function is in error: ${(error as Error).message}`);
      }
      const useMonitor = typeof fn.trigger.useMonitor === 'boolean' ? fn.trigger.useMonitor : defaultUseMonitor(schedule);
      const saved = useMonitor ? this.readStatus(fn.name) : null;
      const { isPastDue, status, changed } = computeStartupStatus(saved, this.now(), schedule);
      if (useMonitor && changed) this.writeStatus(fn.name, status);
      this.timers.push({ fn, schedule, runOnStartup: fn.trigger.runOnStartup === true, useMonitor, status, pastDueAtStart: isPastDue });
    }
  }

  start(): void {
    for (const state of this.timers) {
      if (state.fn.disabled) continue;
      if (state.pastDueAtStart) {
        this.logger.info(`Function '${state.fn.name}' is past due on startup. Executing now.`);
        this.fire(state, true);
      } else if (state.runOnStartup) {
        this.fire(state, false);
      } else {
        this.arm(state);
      }
      const next = state.status.Next;
      this.logger.info(`Timer '${state.fn.name}': next occurrence ${next}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.timers) clearTimeout(state.timer);
    await Promise.all(this.timers.map((state) => state.running));
  }

  /** The timer's status as the runtime reports it (for `/admin/host/status` style views and tests). */
  statusOf(name: string): ScheduleStatus | undefined {
    return this.timers.find((state) => state.fn.name.toLowerCase() === name.toLowerCase())?.status;
  }

  /** Runs a timer function now (the admin API's manual invocation). */
  async invokeNow(fn: RegisteredFunction): Promise<void> {
    const state = this.timers.find((candidate) => candidate.fn === fn);
    const status = state?.status ?? { Last: this.now().toISOString(), Next: this.now().toISOString(), LastUpdated: this.now().toISOString() };
    await this.invoker.invoke(fn, { trigger: timerInput(state?.useMonitor === false ? null : status, false) });
  }

  private arm(state: TimerState): void {
    if (this.stopped) return;
    const due = new Date(state.status.Next).getTime();
    const wait = Math.max(0, due - this.now().getTime());
    state.timer = setTimeout(() => (wait > MAX_DELAY_MS ? this.arm(state) : this.fire(state, false)), Math.min(wait, MAX_DELAY_MS));
  }

  private fire(state: TimerState, isPastDue: boolean): void {
    if (this.stopped) return;
    const run = async () => {
      const invokedAt = this.now();
      try {
        await this.invoker.invoke(state.fn, { trigger: timerInput(state.useMonitor ? state.status : null, isPastDue) });
      } catch {
        // The invoker logged it; a failed occurrence does not stop the schedule, as in Azure.
      }
      state.status = statusAfterInvocation(state.status, invokedAt, state.schedule, { isPastDue, runOnStartup: state.runOnStartup && !state.startedOnce });
      state.startedOnce = true;
      if (state.useMonitor) this.writeStatus(state.fn.name, state.status);
      this.arm(state);
    };
    state.running = run();
  }

  private statusFile(name: string): string {
    return path.join(this.statusDir, `${name.toLowerCase()}.status.json`);
  }

  private readStatus(name: string): ScheduleStatus | null {
    const file = this.statusFile(name);
    if (!existsSync(file)) return null;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ScheduleStatus;
    } catch {
      return null;
    }
  }

  private writeStatus(name: string, status: ScheduleStatus): void {
    mkdirSync(this.statusDir, { recursive: true });
    const file = this.statusFile(name);
    writeFileSync(`${file}.tmp`, JSON.stringify(status));
    renameSync(`${file}.tmp`, file);
  }
}

/** The timer binding data as the host sends it (no status without the monitor); the library camel-cases it. */
function timerInput(status: ScheduleStatus | null, isPastDue: boolean) {
  return {
    json: JSON.stringify({ Schedule: { AdjustForDST: true }, ScheduleStatus: status, IsPastDue: isPastDue }),
  };
}
