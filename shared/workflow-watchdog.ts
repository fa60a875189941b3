import { Watchdog } from './domain/workflows/supervision';
import { verificationSupervisor } from './experts-container';
import { getIdentity } from './identity-container';
import { createAppLogger } from './observability/app-logger';
import { recordWorkflowRecovery } from './observability/metrics';

/**
 * The watchdog over every supervised workflow (verification today). Each reconciliation is
 * counted in `/api/metrics` and, unless the record was only found settled, written to the
 * audit trail with its reason.
 */
export async function getWorkflowWatchdog(): Promise<Watchdog> {
  const { service } = await getIdentity();
  const logger = createAppLogger();
  return new Watchdog(
    [await verificationSupervisor()],
    async (recovery) => {
      recordWorkflowRecovery(recovery.workflow, recovery.action);
      if (recovery.action === 'healthy') return;
      logger.warn('Workflow reconciled by the watchdog', { ...recovery });
      await service.audit(
        { action: `workflow.${recovery.action}`, actorId: null, targetId: recovery.subjectId, outcome: 'success', details: { workflow: recovery.workflow, reason: recovery.reason } },
        { ip: '', userAgent: 'workflow-watchdog' },
      );
    },
    (workflow, error) => logger.error('Workflow watchdog could not reconcile', { workflow, error: String(error) }),
  );
}
