import type { DurableClient } from 'durable-functions';
import type { InstanceState, RuntimeStatus, WorkflowRuntime } from '../../domain/workflows/supervision';

/** The supervisors' view of the Durable runtime, through the genuine client of the invocation's `durableClient` binding. */
export function durableRuntime(client: DurableClient): WorkflowRuntime {
  return {
    async state(instanceId): Promise<InstanceState | null> {
      try {
        const status = await client.getStatus(instanceId, { showInput: false });
        return { status: status.runtimeStatus as RuntimeStatus, output: status.output };
      } catch (error) {
        // The client reports "no such instance" as an HTTP 404 in its message; anything else is a real failure.
        if (/HTTP 404/.test(String((error as Error).message))) return null;
        throw error;
      }
    },
    async start(orchestration, instanceId, input) {
      await client.startNew(orchestration, { instanceId, input });
    },
    // The client resolves 410 (already finished) quietly; only an unknown instance throws.
    async terminate(instanceId, reason) {
      await client.terminate(instanceId, reason).catch((error: Error) => {
        if (!/^No instance with ID/.test(error.message)) throw error;
      });
    },
    raise: (instanceId, event, data) => client.raiseEvent(instanceId, event, data),
  };
}
