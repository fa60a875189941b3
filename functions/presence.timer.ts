import { app } from '@azure/functions';
import { realtime } from '../shared/composition';

// Confirms stored connections with the service before their leases end and drops the ones it no
// longer has (a lost disconnected event, a crashed instance), pushing the presence that changes.
// Every 10 s, so a lease (PRESENCE_LEASE_SECONDS, at least 20) is always checked in time.
app.timer('presenceSweep', {
  schedule: '*/10 * * * * *',
  handler: async (_timer, context) => {
    const { presence } = await realtime();
    if (!presence) return;
    const { renewed, dropped } = await presence.sweep();
    if (dropped) context.log(`Presence: dropped ${dropped} connection(s) the service no longer has; renewed ${renewed}`);
  },
});
