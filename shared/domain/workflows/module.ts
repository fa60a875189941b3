import type { AppLogger } from '../../observability/app-logger';
import type { IdentityService } from '../identity/identity-service';
import { type Recovery, type SupervisedWorkflow, Watchdog } from './supervision';

export interface WorkflowsPorts {
  /** Every supervised workflow (verification today). */
  supervised: SupervisedWorkflow[];
  /** The audit trail, through identity (which stamps who and where). */
  audit: Pick<IdentityService, 'audit'>;
  /** Counts each reconciliation (`workflow_recoveries_total`). */
  count: (recovery: Recovery) => void;
  logger: AppLogger;
}

export interface WorkflowsModule {
  watchdog: Watchdog;
}

/**
 * The watchdog over every supervised workflow. Each reconciliation is counted and, unless the
 * record was only found settled, written to the audit trail with its reason.
 */
export function workflowsModule({ supervised, audit, count, logger }: WorkflowsPorts): WorkflowsModule {
  const watchdog = new Watchdog(
    supervised,
    async (recovery) => {
      count(recovery);
      if (recovery.action === 'healthy') return;
      logger.warn('Workflow reconciled by the watchdog', { ...recovery });
      await audit.audit(
        { action: `workflow.${recovery.action}`, actorId: null, targetId: recovery.subjectId, outcome: 'success', details: { workflow: recovery.workflow, reason: recovery.reason } },
        { ip: '', userAgent: 'workflow-watchdog' },
      );
    },
    (workflow, error) => logger.error('Workflow watchdog could not reconcile', { workflow, error: String(error) }),
  );
  return { watchdog };
}
