import { app } from '@azure/functions';
import { notifications } from '../shared/composition';

// Every minute: delivers outbox messages that are due (a failed attempt's backoff is over, or an
// attempt's lease ran out because its instance stopped), soonest first.
app.timer('outboxRetry', {
  schedule: '0 * * * * *',
  handler: async (_timer, context) => {
    const { sent, failed } = await (await notifications()).outbox.deliverPending();
    if (sent || failed) context.log(`Outbox: delivered ${sent} pending message(s), ${failed} failed again`);
  },
});
