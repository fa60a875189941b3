import { app } from '@azure/functions';
import { durableClientInput, workflowRuntime, workflows } from '../shared/composition';

// Every minute: workflows whose automated part overran its deadline (failed, lost or stuck
// instances) are woken, restarted or handed to people with the reason. Safe to run by hand.
app.timer('workflowWatchdog', {
  schedule: '0 * * * * *',
  extraInputs: [durableClientInput],
  handler: async (_timer, context) => {
    const recoveries = await (await workflows()).watchdog.run(workflowRuntime(context));
    for (const recovery of recoveries) context.log(`Watchdog: ${recovery.workflow} ${recovery.subjectId} ${recovery.action}: ${recovery.reason}`);
  },
});
