import { app } from '@azure/functions';
import { search } from '../shared/composition';

// Embeds new and changed public profiles for semantic matching and drops the vectors of profiles
// no longer public, every 5 minutes; nothing to do when Azure OpenAI is not configured. A failed
// run (throttling past the retries, an outage) is logged and resumes from the same position.
app.timer('expertVectorSync', {
  schedule: '0 */5 * * * *',
  handler: async (_timer, context) => {
    const sync = (await search()).vectorSync;
    if (!sync) return;
    const { embedded, unchanged, removed } = await sync.run();
    if (embedded || removed) context.log(`Expert vectors: embedded ${embedded}, removed ${removed}, ${unchanged} unchanged`);
  },
});
