import { app } from '@azure/functions';
import { getIdentity } from '../shared/identity-container';

// Emails whose delivery failed stay in the outbox; this retries them every minute.
app.timer('outboxRetry', {
  schedule: '0 * * * * *',
  handler: async (_timer, context) => {
    const sent = await (await getIdentity()).outbox.deliverPending();
    if (sent) context.log(`Outbox: delivered ${sent} pending email(s)`);
  },
});
