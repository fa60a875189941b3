import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

/**
 * The package's own DurableClient, built in the test process from the binding data the host
 * gives the app's functions (the fixture's GET /api/client-data echoes it).
 */
export async function durableClient(baseUrl: string): Promise<df.DurableClient> {
  // getClient rewrites the public URLs to localhost:7071 unless WEBSITE_HOSTNAME names the host, as on App Service.
  process.env.WEBSITE_HOSTNAME = new URL(baseUrl).host;
  const data = await (await fetch(`${baseUrl}/api/client-data`)).json();
  const input = df.input.durableClient();
  const context = new InvocationContext({ options: { extraInputs: [input] } });
  context.extraInputs.set(input, data);
  return df.getClient(context);
}

/** Polls the instance until it leaves Pending/Running (or the status says so), via the client. */
export async function waitForStatus(
  client: df.DurableClient,
  instanceId: string,
  wanted: (status: df.DurableOrchestrationStatus) => boolean,
  timeoutMs = 15_000,
): Promise<df.DurableOrchestrationStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.getStatus(instanceId);
    if (wanted(status)) return status;
    if (Date.now() > deadline) throw new Error(`instance ${instanceId} stayed ${status.runtimeStatus} (${JSON.stringify(status.output)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const finished = (status: df.DurableOrchestrationStatus) => ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus);
