import type { WebPubSubClient } from '@azure/web-pubsub-client';
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realtimeConnections } from '../../shared/domain/realtime/containers';
import type { ConnectionRecord } from '../../shared/domain/realtime/presence';
import { openHostStore } from '../helpers/expert-profiles';
import { waitFor, type RunningHost } from '../helpers/host-process';
import { ADMIN, api, login, registerUser, type Api } from '../helpers/identity';
import { negotiatedClient, startRealtimeHost } from '../helpers/realtime';
import { adminView, inbox, started } from '../webpubsub/helpers';

// The real-time API through the local host: negotiate → the genuine @azure/web-pubsub-client
// against the host's local Web PubSub service, whose connected/disconnected events reach the
// app's event handler as configured in local.settings.example.json.
let host: RunningHost;
let client: Api;
let adminToken: string;
let accessKey: string;
let store: ReturnType<typeof openHostStore>;
const clients: WebPubSubClient[] = [];
const track = (c: WebPubSubClient) => (clients.push(c), c);

beforeAll(async () => {
  host = await startRealtimeHost({ PRESENCE_LEASE_SECONDS: '20' });
  client = api(host);
  adminToken = (await login(client, ADMIN.email, ADMIN.password)).accessToken;
  accessKey = /AccessKey=([^;]+)/.exec((await adminView(host)).connectionString)![1]!;
  store = openHostStore(host);
});
afterEach(() => {
  for (const c of clients.splice(0)) c.stop();
});
afterAll(async () => {
  await store?.close();
  await host?.stop();
});

const presenceOf = async (token: string, expertId: string) => (await client.call('GET', `v1/experts/${expertId}/presence`, { token })).body;
/** The statuses pushed for `expertId`: the app sends to the group `expert:<id>`, so they arrive as server messages. */
const presenceMessages = (messages: ReturnType<typeof inbox>, expertId: string) =>
  messages
    .map((m) => m.data as { type: string; expertId?: string; status?: string })
    .filter((data) => data.type === 'presence' && data.expertId === expertId)
    .map((data) => data.status);

/** A CloudEvent as the service signs it, for a connection the service does not have. */
function signedEvent(type: 'connected' | 'disconnected', connectionId: string, userId: string, key = accessKey) {
  return {
    'ce-specversion': '1.0',
    'ce-type': `azure.webpubsub.sys.${type}`,
    'ce-source': `/hubs/marketplace/client/${connectionId}`,
    'ce-id': randomUUID(),
    'ce-hub': 'marketplace',
    'ce-connectionid': connectionId,
    'ce-userid': userId,
    'ce-eventname': type,
    'ce-signature': `sha256=${createHmac('sha256', key).update(connectionId).digest('hex')}`,
  };
}

describe('negotiate', () => {
  it('needs a signed-in caller and valid watch ids (401/400 problem+json)', async () => {
    const anonymous = await client.call('GET', 'v1/realtime/negotiate');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const user = await registerUser(client, 'client');
    const bad = await client.call('GET', 'v1/realtime/negotiate?watch=not-an-id', { token: user.accessToken });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toMatch(/^query\.watch/);
    const tooMany = Array.from({ length: 51 }, () => randomUUID()).join(',');
    expect((await client.call('GET', `v1/realtime/negotiate?watch=${tooMany}`, { token: user.accessToken })).status).toBe(400);
  });

  it('binds the URL to the user and grants only the watch groups asked for (experts also their own)', async () => {
    const expert = await registerUser(client, 'expert');
    const watched = randomUUID();
    const response = await client.call('GET', `v1/realtime/negotiate?watch=${watched}`, { token: expert.accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ hub: 'marketplace', userId: expert.user.id, groups: [`expert:${expert.user.id}`] });
    expect(response.body.roles.sort()).toEqual([`webpubsub.joinLeaveGroup.expert:${expert.user.id}`, `webpubsub.joinLeaveGroup.expert:${watched}`].sort());
    expect(response.body.url).toMatch(/\/client\/hubs\/marketplace\?access_token=/);
  });
});

describe('pushes over the genuine client', () => {
  it('delivers to the user, to a watched group and to all; refuses groups outside the grant', async () => {
    const expert = await registerUser(client, 'expert');
    const buyer = await registerUser(client, 'client');
    const stranger = randomUUID();
    const watcher = track(negotiatedClient(client, buyer.accessToken, [expert.user.id]));
    const received = inbox(watcher);
    await started(watcher);
    await watcher.joinGroup(`expert:${expert.user.id}`);
    await expect(watcher.joinGroup(`expert:${stranger}`)).rejects.toThrow();
    await expect(watcher.sendToGroup(`expert:${expert.user.id}`, { type: 'presence', status: 'online' }, 'json')).rejects.toThrow();

    // user: an admin's message lands in the inbox and arrives live
    const sent = await client.call('POST', 'v1/notifications', { token: adminToken, body: { userId: buyer.user.id, title: 'Welcome', body: 'Hello' } });
    expect(sent.status).toBe(201);
    // group: the expert's status change reaches the watcher
    expect((await client.call('PUT', 'v1/experts/status', { token: expert.accessToken, body: { status: 'busy' } })).status).toBe(200);
    // all: an announcement
    expect((await client.call('POST', 'v1/realtime/broadcast', { token: adminToken, body: { title: 'Maintenance', body: 'At 22:00 UTC' } })).status).toBe(202);

    await waitFor(() => (received.some((m) => (m.data as { type: string }).type === 'announcement') ? true : undefined), 10_000, 'announcement');
    const types = received.map((m) => `${m.from}:${(m.data as { type: string }).type}`);
    expect(types).toContain('server:notification');
    expect(types).toContain('server:announcement');
    const notification = received.find((m) => (m.data as { type: string }).type === 'notification')!.data as { notification: { id: string; title: string } };
    expect(notification.notification).toMatchObject({ id: sent.body.id, title: 'Welcome' });
    // The expert is not connected, so the choice shows as offline: nothing changed for watchers yet.
    expect(presenceMessages(received, expert.user.id)).toEqual([]);
    expect(await presenceOf(buyer.accessToken, expert.user.id)).toMatchObject({ status: 'offline', chosen: 'busy' });
  });

  it('shows an expert online while connected, pushes each change, and offline after they leave', async () => {
    const expert = await registerUser(client, 'expert');
    const buyer = await registerUser(client, 'client');
    const watcher = track(negotiatedClient(client, buyer.accessToken, [expert.user.id]));
    const received = inbox(watcher);
    await started(watcher);
    await watcher.joinGroup(`expert:${expert.user.id}`);
    expect(await presenceOf(buyer.accessToken, expert.user.id)).toMatchObject({ status: 'offline', lastSeenAt: null });

    const device = track(negotiatedClient(client, expert.accessToken));
    await started(device);
    await waitFor(() => (presenceMessages(received, expert.user.id).includes('online') ? true : undefined), 10_000, 'online push');
    expect(await presenceOf(buyer.accessToken, expert.user.id)).toMatchObject({ status: 'online' });

    await client.call('PUT', 'v1/experts/status', { token: expert.accessToken, body: { status: 'away' } });
    await waitFor(() => (presenceMessages(received, expert.user.id).includes('away') ? true : undefined), 10_000, 'away push');

    device.stop();
    await waitFor(() => (presenceMessages(received, expert.user.id).includes('offline') ? true : undefined), 10_000, 'offline push');
    const after = await presenceOf(buyer.accessToken, expert.user.id);
    expect(after).toMatchObject({ status: 'offline', chosen: 'away' });
    expect(Date.parse(after.lastSeenAt)).toBeGreaterThan(Date.now() - 30_000);
    expect(presenceMessages(received, expert.user.id)).toEqual(['online', 'away', 'offline']);
  });

  it('expires a connection the service no longer has (a lost disconnected event) within a lease', async () => {
    const expert = await registerUser(client, 'expert');
    const buyer = await registerUser(client, 'client');
    await client.call('PUT', 'v1/experts/status', { token: expert.accessToken, body: { status: 'online' } });
    const watcher = track(negotiatedClient(client, buyer.accessToken, [expert.user.id]));
    const received = inbox(watcher);
    await started(watcher);
    await watcher.joinGroup(`expert:${expert.user.id}`);

    // The event arrives, but the connection is already gone, and no disconnected event follows.
    const ghost = `ghost-${randomUUID()}`;
    const event = await client.call('POST', 'v1/realtime/webpubsub', { headers: signedEvent('connected', ghost, expert.user.id) });
    expect(event.status).toBe(204);
    // The service's calls are not counted against a per-IP limit (it calls for every user).
    expect(event.headers.get('ratelimit')).toBeNull();
    expect(await presenceOf(buyer.accessToken, expert.user.id)).toMatchObject({ status: 'online' });
    await waitFor(() => (presenceMessages(received, expert.user.id).includes('offline') ? true : undefined), 30_000, 'the sweep to drop the ghost');
    expect(presenceMessages(received, expert.user.id)).toEqual(['online', 'offline']);
    expect(await presenceOf(buyer.accessToken, expert.user.id)).toMatchObject({ status: 'offline' });
  }, 40_000);

  it('keeps a live connection past its lease: the sweep renews what the service still has', async () => {
    const expert = await registerUser(client, 'expert');
    const device = track(negotiatedClient(client, expert.accessToken));
    await started(device);
    await waitFor(async () => ((await presenceOf(expert.accessToken, expert.user.id)).status === 'online' ? true : undefined), 10_000, 'online');
    // The stored lease, as the connect event wrote it; then until the sweep has renewed it and the first lease has ended.
    const connections = await store.container<ConnectionRecord>(realtimeConnections);
    const leaseOf = async () => (await connections.query({ partitionKey: expert.user.id })).items.map((record) => Date.parse(record.expiresAt));
    const [firstLease] = await leaseOf();
    expect(firstLease).toBeGreaterThan(Date.now());
    await waitFor(async () => (Date.now() > firstLease! && (await leaseOf())[0]! > firstLease! ? true : undefined), 30_000, 'the sweep to renew the lease and the first lease to end');
    expect(await presenceOf(expert.accessToken, expert.user.id)).toMatchObject({ status: 'online' });
  }, 40_000);
});

describe('the event handler endpoint', () => {
  it('passes the abuse-protection handshake only for the configured service', async () => {
    const serviceHost = new URL((await adminView(host)).endpoint).host;
    const allowed = await fetch(`${host.baseUrl}/api/v1/realtime/webpubsub`, { method: 'OPTIONS', headers: { 'webhook-request-origin': serviceHost } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('webhook-allowed-origin')).toBe(serviceHost);
    const other = await fetch(`${host.baseUrl}/api/v1/realtime/webpubsub`, { method: 'OPTIONS', headers: { 'webhook-request-origin': 'evil.example.com' } });
    expect(other.headers.get('webhook-allowed-origin')).toBeNull();
  });

  it('refuses events without a valid signature (401) or without CloudEvents headers (400)', async () => {
    const expert = await registerUser(client, 'expert');
    const forged = await client.call('POST', 'v1/realtime/webpubsub', { headers: signedEvent('connected', 'c1', expert.user.id, 'not-the-key') });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await presenceOf(expert.accessToken, expert.user.id)).toMatchObject({ status: 'offline' });
    const bare = await client.call('POST', 'v1/realtime/webpubsub', { body: {} });
    expect(bare.status).toBe(400);
    expect(bare.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['headers.ce-signature', 'headers.ce-connectionid']));
  });
});

describe('presence endpoints', () => {
  it('lets only experts set a status, validates it, and 404s users who are not experts', async () => {
    const buyer = await registerUser(client, 'client');
    const expert = await registerUser(client, 'expert');
    expect((await client.call('PUT', 'v1/experts/status', { token: buyer.accessToken, body: { status: 'busy' } })).status).toBe(403);
    expect((await client.call('PUT', 'v1/experts/status', { body: { status: 'busy' } })).status).toBe(401);
    const bad = await client.call('PUT', 'v1/experts/status', { token: expert.accessToken, body: { status: 'asleep' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body.status');
    expect((await client.call('GET', `v1/experts/${buyer.user.id}/presence`, { token: expert.accessToken })).status).toBe(404);
    expect((await client.call('GET', `v1/experts/${expert.user.id}/presence`)).status).toBe(401);
  });

  it('gives operators reachability, live connections and watched groups (admin only)', async () => {
    const expert = await registerUser(client, 'expert');
    const device = track(negotiatedClient(client, expert.accessToken));
    await started(device);
    await waitFor(async () => ((await presenceOf(expert.accessToken, expert.user.id)).status === 'online' ? true : undefined), 10_000, 'online');
    expect((await client.call('GET', 'v1/realtime/status', { token: expert.accessToken })).status).toBe(403);
    const status = await client.call('GET', 'v1/realtime/status', { token: adminToken });
    expect(status.status).toBe(200);
    expect(status.body.service.reachable).toBe(true);
    expect(status.body.connections.live).toBeGreaterThanOrEqual(1);
    expect(status.body.experts).toContainEqual(expect.objectContaining({ expertId: expert.user.id, status: 'online', watched: true }));
    expect(JSON.stringify(status.body)).not.toContain(accessKey);
  });
});

describe('notifications inbox', () => {
  it('keeps what was sent while the user was offline; lists, counts and marks read', async () => {
    const user = await registerUser(client, 'agent');
    const other = await registerUser(client, 'client');
    for (const title of ['First', 'Second', 'Third']) {
      expect((await client.call('POST', 'v1/notifications', { token: adminToken, body: { userId: user.user.id, title, body: 'text', link: '/rfqs/1' } })).status).toBe(201);
    }
    expect((await client.call('GET', 'v1/notifications/unread-count', { token: user.accessToken })).body).toEqual({ unread: 3 });
    const first = await client.call('GET', 'v1/notifications?limit=2', { token: user.accessToken });
    expect(first.body.items.map((n: { title: string }) => n.title)).toEqual(['Third', 'Second']);
    const second = await client.call('GET', `v1/notifications?limit=2&cursor=${first.body.nextCursor}`, { token: user.accessToken });
    expect(second.body).toMatchObject({ items: [{ title: 'First', read: false, type: 'admin.message', link: '/rfqs/1' }], nextCursor: null });

    const target = first.body.items[0].id;
    expect((await client.call('POST', `v1/notifications/${target}/read`, { token: other.accessToken })).status).toBe(404);
    const marked = await client.call('POST', `v1/notifications/${target}/read`, { token: user.accessToken });
    expect(marked.body).toMatchObject({ id: target, read: true });
    const unread = await client.call('GET', 'v1/notifications?unread=true', { token: user.accessToken });
    expect(unread.body.items.map((n: { title: string }) => n.title)).toEqual(['Second', 'First']);
    expect((await client.call('POST', 'v1/notifications/read-all', { token: user.accessToken })).body).toEqual({ marked: 2 });
    expect((await client.call('GET', 'v1/notifications/unread-count', { token: user.accessToken })).body).toEqual({ unread: 0 });
    expect((await client.call('GET', 'v1/notifications', { token: other.accessToken })).body.items).toEqual([]);
  });

  it('refuses bad input and non-admin senders', async () => {
    const user = await registerUser(client, 'client');
    expect((await client.call('GET', 'v1/notifications')).status).toBe(401);
    expect((await client.call('GET', 'v1/notifications?unread=maybe', { token: user.accessToken })).status).toBe(400);
    expect((await client.call('GET', 'v1/notifications?cursor=@@', { token: user.accessToken })).status).toBe(400);
    expect((await client.call('POST', 'v1/notifications/not-an-id/read', { token: user.accessToken })).status).toBe(400);
    expect((await client.call('POST', 'v1/notifications', { token: user.accessToken, body: { userId: user.user.id, title: 't', body: 'b' } })).status).toBe(403);
    const missing = await client.call('POST', 'v1/notifications', { token: adminToken, body: { userId: randomUUID(), title: 't', body: 'b' } });
    expect(missing.status).toBe(404);
    const bad = await client.call('POST', 'v1/notifications', { token: adminToken, body: { userId: user.user.id, title: '', body: 'b', link: 'javascript:alert(1)' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.link', 'body.title']);
  });
});
