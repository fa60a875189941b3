import { getBlobStorage, getDocumentStore } from '../container';
import type { DependencyCheck } from './readiness';

/** The dependencies this app uses now; each later port adds its own check here. */
export function appDependencyChecks(): DependencyCheck[] {
  const checks: DependencyCheck[] = [{ name: 'document-store', probe: (signal) => getDocumentStore().ping(signal) }];
  const blob = getBlobStorage();
  // One cheap authenticated call on the data container (created by Bicep, or at start-up locally).
  if (blob) checks.push({ name: 'blob-storage', probe: (signal) => blob.ping(signal) });
  return checks;
}
