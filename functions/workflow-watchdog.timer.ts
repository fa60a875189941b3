import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { durableRuntime } from '../shared/adapters/durable/durable-runtime';
import { durableClientInput } from '../shared/experts-container';
import { getWorkflowWatchdog } from '../shared/workflow-watchdog';

// Every minute: workflows whose automated part overran its deadline (failed, lost or stuck
// instances) are woken, restarted or handed to people with the reason. Safe to run by hand.
app.timer('workflowWatchdog', {
  schedule: '0 * * * * *',
  extraInputs: [durableClientInput],
  handler: async (_timer, context) => {
    const recoveries = await (await getWorkflowWatchdog()).run(durableRuntime(df.getClient(context)));
    for (const recovery of recoveries) context.log(`Watchdog: ${recovery.workflow} ${recovery.subjectId} ${recovery.action}: ${recovery.reason}`);
  },
});
