import { app } from '@azure/functions';
import { rfq } from '../shared/composition';

/** Intake runs matching before it completes a message; a matching still open this long after it fell due had its message dead-lettered or failing. */
const STALE_MS = 5 * 60_000;

// Every minute: auto-matchings left open (their intake message dead-lettered, or failing) are
// finished here, so an RFQ never waits for an event that may not come. Safe to run by hand.
app.timer('rfqMatchingSweep', {
  schedule: '30 * * * * *',
  handler: async (_timer, context) => {
    const { finished, failed } = await (await (await rfq()).matching()).sweep(STALE_MS, (rfqId, error) => context.error(`RFQ ${rfqId}: matching failed again`, error));
    if (finished || failed) context.log(`RFQ matching sweep: ${finished} finished, ${failed} failed (tried again next minute)`);
  },
});
