import type { App } from '../../shared/composition/root';
import type { Config } from '../../shared/config';
import { type EndpointKit, endpointKit } from '../../shared/http/endpoint';
import { testApp } from './test-app';

export interface TestKit extends EndpointKit {
  /** The HTTP settings the kit reads on every request: change them between cases. */
  settings: Config['http'];
  app: App;
}

/**
 * An endpoint kit over an app of its own: the settings of `env` (over the process's), and an
 * in-memory store, so test files never share rate-limit counters or idempotency keys.
 */
export function testEndpointKit(env: Record<string, string> = {}): TestKit {
  const app = testApp(env);
  const settings = { ...app.config.http };
  return { ...endpointKit({ settings: () => settings, services: () => app.endpoints() }), settings, app };
}
