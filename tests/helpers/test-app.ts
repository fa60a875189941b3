import { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Adapters } from '../../shared/composition/adapters';
import { type App, composeApp } from '../../shared/composition/root';
import { loadConfig } from '../../shared/config';

/** The app as production composes it, from the settings of `env` (over the process's), on an in-memory store unless `given` brings adapters of its own. */
export function testApp(env: Record<string, string> = {}, given: Partial<Adapters> = {}): App {
  return composeApp(loadConfig({ ...process.env, ...env }), { store: SqliteDocumentStore.open(':memory:'), ...given });
}
