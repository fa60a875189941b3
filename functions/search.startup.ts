import { app } from '@azure/functions';
import { createAppLogger } from '../shared/observability/app-logger';
import { search } from '../shared/composition';

// Each instance builds its search indexes as it starts (17 s at 50,000 experts), so the first
// searcher does not wait for it. Not awaited: the instance takes other requests meanwhile, and a
// search arriving during the build waits for that same build. A failed build is retried by the
// next search.
app.hook.appStart(() => {
  const started = performance.now();
  search()
    .then((module) => module.feed())
    .then(
      ({ experts }) => createAppLogger().info('Search indexes built', { experts: experts.size, seconds: Math.round(performance.now() - started) / 1000 }),
      (error: unknown) => createAppLogger().warn('Search indexes could not be built at start-up; the first search will try again', { error: String(error) }),
    );
});
