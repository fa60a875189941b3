import { WebPubSubServiceClient, type GenerateClientTokenOptions } from '@azure/web-pubsub';
import { WebPubSubClient, WebPubSubJsonProtocol, WebPubSubJsonReliableProtocol, type WebPubSubClientOptions } from '@azure/web-pubsub-client';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import { projectRoot, startHost, waitFor, type RunningHost } from '../helpers/host-process';

export interface AdminView {
  endpoint: string;
  connectionString: string;
  hubs: {
    name: string;
    connections: { connectionId: string; userId: string | null; groups: string[]; attached: boolean; recoveries: number; unackedMessages: number }[];
    groups: Record<string, string[]>;
  }[];
}

export async function adminView(host: RunningHost): Promise<AdminView> {
  return (await fetch(`${host.baseUrl}/admin/webpubsub`)).json() as Promise<AdminView>;
}

/**
 * The genuine service client from a connection string. The SDK's HTTP pipeline refuses plain
 * http unless told otherwise, so an app derives `allowInsecureConnection` from the endpoint.
 */
export function serviceClient(connectionString: string, hub: string): WebPubSubServiceClient {
  return new WebPubSubServiceClient(connectionString, hub, { allowInsecureConnection: /Endpoint=http:\/\//i.test(connectionString) });
}

/** A genuine SDK client whose URL comes from the genuine service client's `getClientAccessToken`. */
export function clientFor(service: WebPubSubServiceClient, token: GenerateClientTokenOptions, options: WebPubSubClientOptions & { reliable?: boolean } = {}): WebPubSubClient {
  const { reliable = true, ...rest } = options;
  return new WebPubSubClient(
    { getClientAccessUrl: async () => (await service.getClientAccessToken(token)).url },
    { protocol: reliable ? WebPubSubJsonReliableProtocol() : WebPubSubJsonProtocol(), ...rest },
  );
}

/** Everything a client receives, server and group messages alike, in arrival order. */
export function inbox(client: WebPubSubClient): { from: string; group?: string; data: unknown; fromUserId?: string | null }[] {
  const messages: { from: string; group?: string; data: unknown; fromUserId?: string | null }[] = [];
  client.on('server-message', (e) => messages.push({ from: 'server', data: e.message.data }));
  client.on('group-message', (e) => messages.push({ from: 'group', group: e.message.group, data: e.message.data, fromUserId: e.message.fromUserId }));
  return messages;
}

export async function waitForCount<T>(list: T[], count: number, what = `${count} messages`): Promise<T[]> {
  return waitFor(() => (list.length >= count ? list : undefined), 10_000, what);
}

/** Waits until the client is connected and returns its connection id. */
export async function started(client: WebPubSubClient): Promise<string> {
  const connected = new Promise<string>((resolve) => client.on('connected', (e) => resolve(e.connectionId)));
  await client.start();
  return connected;
}

/** The HTTP status a WebSocket upgrade is answered with (101 when it is accepted). */
export function upgradeStatus(url: string, protocols: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

export interface FixtureHost {
  host: RunningHost;
  view: AdminView;
  /** The access key from the injected connection string. */
  key: string;
  service: WebPubSubServiceClient;
  /** Stops the client after the current test. */
  track: <T extends WebPubSubClient>(client: T) => T;
}

/** Runs the Web PubSub fixture app in a local host for the enclosing suite; clients tracked by a test are stopped after it. */
export function useFixtureHost(hub: string, env: Record<string, string> = {}): FixtureHost {
  const clients: WebPubSubClient[] = [];
  const fixture = { track: (client) => (clients.push(client), client) } as FixtureHost;
  beforeAll(async () => {
    fixture.host = await startHost({ app: path.join(projectRoot, 'tests/fixtures/webpubsub-app'), args: ['--no-azurite'], env });
    fixture.view = await adminView(fixture.host);
    fixture.key = /AccessKey=([^;]+)/.exec(fixture.view.connectionString)![1]!;
    fixture.service = serviceClient(fixture.view.connectionString, hub);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.stop();
  });
  afterAll(async () => {
    await fixture.host?.stop();
  });
  return fixture;
}
