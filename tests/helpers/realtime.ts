import { WebPubSubClient, WebPubSubJsonReliableProtocol } from '@azure/web-pubsub-client';
import path from 'node:path';
import type { Api } from './identity';
import { projectRoot, type RunningHost } from './host-process';
import { startIdentityHost } from './identity';

/**
 * Runs this app with local.settings.example.json as its settings, whatever the developer's own
 * local.settings.json says, so the suite proves the example (and `npm start`, which copies it)
 * wires the event handler.
 */
export function startRealtimeHost(env: Record<string, string> = {}): Promise<RunningHost> {
  // The example points storage at Azurite, which these tests do not start; an empty value wins over it.
  return startIdentityHost({ AzureWebJobsStorage: '', ...env }, { settings: path.join(projectRoot, 'local.settings.example.json') });
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
