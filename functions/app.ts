import { app } from '@azure/functions';
import { appRoot } from '../shared/composition';
import { getConfig } from '../shared/config';
import { createAppLogger } from '../shared/observability/app-logger';

// Fail fast: a missing or bad setting stops the app from loading, with one message naming every
// bad setting, in Azure and in the local host alike. (Entry files load in name order; this is first.)
getConfig();

// The data container comes from Bicep in Azure; locally (Azurite) it is created here. A storage
// outage must not stop the app: readiness reports it, and uploads fail with a clear 503 meanwhile.
app.hook.appStart(async () => {
  try {
    await appRoot().adapters.blobs?.ensureContainer();
  } catch (error) {
    createAppLogger().warn('Blob data container could not be ensured at start-up', { error: String(error) });
  }
});
