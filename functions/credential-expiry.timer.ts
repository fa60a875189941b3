import { app } from '@azure/functions';
import { experts } from '../shared/composition';

// Once a day (06:00 in WEBSITE_TIME_ZONE, UTC by default): remind experts 90, 30 and 7 days
// before a certification expires, tell them when it has, and take off a badge that rested on it.
// Each notice is sent once however often this runs, so a by-hand run or a retry is harmless.
app.timer('credentialExpiry', {
  schedule: '0 0 6 * * *',
  handler: async (_timer, context) => {
    const summary = await (await experts()).credentialExpiry.run();
    context.log(`Credential expiry: ${summary.profiles} profile(s), ${summary.notices} notice(s), ${summary.badgesRemoved} badge(s) removed, ${summary.failures} failure(s)`);
  },
});
