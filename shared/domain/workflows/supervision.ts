/**
 * Supervision of long-running workflows: the pattern every Durable workflow of the app follows
 * (verification today; RFQ awards, escrow releases, payouts and disaster recovery next).
 *
 * - The domain record is the source of truth and carries a `Supervision`: while an automated
 *   part is under way it has a `dueBy`; while it waits on a person or is settled it has none.
 * - The orchestration retries each activity, and when one still fails it parks the record in a
 *   state a person can act on, with the reason (`problem`), instead of ending `Failed`.
 * - A watchdog timer looks for records past their `dueBy` (the orchestration failed, was lost,
 *   or overran) and lets the workflow's supervisor reconcile each one: wake it, restart it, or,
 *   after `MAX_RECOVERIES`, give up with the problem shown to people.
 */
export interface Supervision {
  /** When the automated part now under way must be done by (ISO time); absent while the record waits on a person or is settled. */
  dueBy?: string;
  /** How often the watchdog restarted the workflow since a person last looked. */
  recoveries: number;
  /** The last failure people must know about, shown with the record. */
  problem?: Problem;
}

export interface Problem {
  step: string;
  reason: string;
  at: string;
}

/** The Durable runtime as supervisors need it (a DurableClient in the app). */
export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

export interface InstanceState {
  status: RuntimeStatus;
  output?: unknown;
}

export interface WorkflowRuntime {
  /** Null when the instance never existed (or was purged). */
  state(instanceId: string): Promise<InstanceState | null>;
  /** Starts the instance, replacing a finished one with the same id. */
  start(orchestration: string, instanceId: string, input: unknown): Promise<void>;
  /** Ends a running instance; one already finished is left as it is. */
  terminate(instanceId: string, reason: string): Promise<void>;
  raise(instanceId: string, event: string, data: unknown): Promise<void>;
}

export type RecoveryAction = 'woken' | 'restarted' | 'parked' | 'gave_up' | 'healthy';

export interface Recovery {
  workflow: string;
  subjectId: string;
  action: RecoveryAction;
  reason: string;
}

/** One kind of workflow, as the watchdog sees it. */
export interface SupervisedWorkflow {
  readonly name: string;
  /** Reconciles the records of this workflow past their `dueBy`. */
  recoverOverdue(runtime: WorkflowRuntime, now: Date): Promise<Recovery[]>;
}

/** After this many restarts without progress, the watchdog stops and leaves the record to people. */
export const MAX_RECOVERIES = 3;

const LIVE: readonly RuntimeStatus[] = ['Pending', 'Running', 'ContinuedAsNew', 'Suspended'];

export const isLive = (state: InstanceState | null): boolean => !!state && LIVE.includes(state.status);

/** A failure's reason as people may read it: the first line of the message, without a stack, bounded. */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n').find((text) => text.trim()) ?? 'unknown error';
  return line.trim().slice(0, 300);
}

/** Why a finished or missing instance stopped, for the problem record. */
export function describeInstance(state: InstanceState | null): string {
  if (!state) return 'its workflow never started or was lost';
  if (state.status === 'Failed') return `its workflow failed: ${failureReason(typeof state.output === 'string' ? state.output : JSON.stringify(state.output ?? 'no detail'))}`;
  return `its workflow is ${state.status.toLowerCase()}`;
}

/**
 * The watchdog's run: each supervised workflow reconciles its overdue records; a workflow whose
 * reconciliation fails (its store is down) does not stop the others, and is tried again next run.
 */
export class Watchdog {
  constructor(
    private readonly workflows: readonly SupervisedWorkflow[],
    private readonly report: (recovery: Recovery) => Promise<void>,
    private readonly onError: (workflow: string, error: unknown) => void,
  ) {}

  async run(runtime: WorkflowRuntime, now = new Date()): Promise<Recovery[]> {
    const done: Recovery[] = [];
    for (const workflow of this.workflows) {
      try {
        for (const recovery of await workflow.recoverOverdue(runtime, now)) {
          await this.report(recovery);
          done.push(recovery);
        }
      } catch (error) {
        this.onError(workflow.name, error);
      }
    }
    return done;
  }
}
