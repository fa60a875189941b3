import { WebPubSubClient, WebPubSubJsonReliableProtocol } from '@azure/web-pubsub-client';
import { copyFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { Api } from './identity';
import { projectRoot, tempDir, type RunningHost } from './host-process';
import { startIdentityHost } from './identity';

/**
 * Runs this app with local.settings.example.json as its settings, whatever the developer's own
 * local.settings.json says: the app dir is a temp dir whose package.json, host.json, dist and
 * node_modules are links to the project's, beside a copy of the example settings. So the suite
 * proves the example (and `npm start`, which copies it) wires the event handler.
 */
export function startRealtimeHost(env: Record<string, string> = {}): Promise<RunningHost> {
  const appDir = tempDir('fx-realtime-app-');
  for (const entry of ['package.json', 'host.json', 'dist', 'node_modules']) symlinkSync(path.join(projectRoot, entry), path.join(appDir, entry));
  copyFileSync(path.join(projectRoot, 'local.settings.example.json'), path.join(appDir, 'local.settings.json'));
  // The example points storage at Azurite, which these tests do not start; an empty value wins over it.
  return startIdentityHost({ AzureWebJobsStorage: '', ...env }, appDir);
}

/** A genuine SDK client that gets its URL from negotiate (again on every reconnect, as the SDK does). */
export function negotiatedClient(client: Api, token: string, watch: string[] = []): WebPubSubClient {
  return new WebPubSubClient(
    {
      getClientAccessUrl: async () => {
        const response = await client.call('GET', `v1/realtime/negotiate${watch.length ? `?watch=${watch.join(',')}` : ''}`, { token });
        if (response.status !== 200) throw new Error(`negotiate: ${response.status} ${JSON.stringify(response.body)}`);
        return response.body.url as string;
      },
    },
    { protocol: WebPubSubJsonReliableProtocol() },
  );
}
