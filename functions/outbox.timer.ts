import { app } from '@azure/functions';
import { getIdentity } from '../shared/identity-container';

// Every minute: delivers outbox messages that are due (a failed attempt's backoff is over, or an
// attempt's lease ran out because its instance stopped), soonest first.
app.timer('outboxRetry', {
  schedule: '0 * * * * *',
  handler: async (_timer, context) => {
    const { sent, failed } = await (await getIdentity()).outbox.deliverPending();
    if (sent || failed) context.log(`Outbox: delivered ${sent} pending message(s), ${failed} failed again`);
  },
});
