import { getBlobServiceClient, getDocumentStore } from '../container';
import type { DependencyCheck } from './readiness';

/** The dependencies this app uses now; each later port adds its own check here. */
export function appDependencyChecks(): DependencyCheck[] {
  const checks: DependencyCheck[] = [{ name: 'document-store', probe: (signal) => getDocumentStore().ping(signal) }];
  const blob = getBlobServiceClient();
  if (blob) {
    checks.push({
      name: 'blob-storage',
      probe: async (abortSignal) => {
        // One cheap authenticated call: it proves the endpoint answers and the credential works.
        await blob.listContainers({ abortSignal }).byPage({ maxPageSize: 1 }).next();
      },
    });
  }
  return checks;
}
