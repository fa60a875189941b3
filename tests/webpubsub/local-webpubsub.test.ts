import { createHmac } from 'node:crypto';
import { odata, type WebPubSubServiceClient } from '@azure/web-pubsub';
import { SendMessageError } from '@azure/web-pubsub-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningHost } from '../helpers/host-process';
import { adminView, clientFor, inbox, serviceClient, started, upgradeStatus, useFixtureHost, waitForCount, type AdminView } from './helpers';

describe('local Web PubSub service with the genuine SDKs', () => {
  const fixture = useFixtureHost('chat', { LOCAL_WEBPUBSUB_RECOVERY_MS: '5000' });
  const track = fixture.track;
  let host: RunningHost;
  let view: AdminView;
  let chat: WebPubSubServiceClient;
  beforeAll(() => void ({ host, view, service: chat } = fixture));

  it('injects WebPubSubConnectionString, pointing at its own port, before the app loads; the app sends with the genuine SDK', async () => {
    expect(view.connectionString).toMatch(/^Endpoint=http:\/\/127\.0\.0\.1:\d+;AccessKey=[^;]+;Version=1\.0;$/);
    expect(new URL(view.endpoint).port).not.toBe(new URL(host.baseUrl).port);
    const client = track(clientFor(chat, { userId: 'app-user' }));
    const received = inbox(client);
    await started(client);
    const response = await fetch(`${host.baseUrl}/api/broadcast/app-user`, { method: 'POST', body: JSON.stringify({ from: 'the app' }) });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ connectionStringAtLoad: view.connectionString });
    expect(await waitForCount(received, 1)).toEqual([{ from: 'server', data: { from: 'the app' } }]);
  });

  it('pushes to all, to a user, to a group and to a connection, as text, JSON and binary', async () => {
    const alice = track(clientFor(chat, { userId: 'alice', groups: ['news'] }));
    const bob = track(clientFor(chat, { userId: 'bob' }));
    const [aliceInbox, bobInbox] = [inbox(alice), inbox(bob)];
    const [aliceId] = await Promise.all([started(alice), started(bob)]);

    await chat.sendToAll({ to: 'everyone' });
    await chat.sendToUser('bob', 'just bob', { contentType: 'text/plain' });
    await chat.group('news').sendToAll('headline', { contentType: 'text/plain' });
    await chat.sendToConnection(aliceId, new Uint8Array([1, 2, 3]));

    const got = await waitForCount(aliceInbox, 3);
    expect(got.slice(0, 2)).toEqual([
      { from: 'server', data: { to: 'everyone' } },
      { from: 'server', data: 'headline' },
    ]);
    expect([...new Uint8Array(got[2]!.data as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(await waitForCount(bobInbox, 2)).toEqual([
      { from: 'server', data: { to: 'everyone' } },
      { from: 'server', data: 'just bob' },
    ]);
  });

  it('applies OData filters and exclusions when sending', async () => {
    const alice = track(clientFor(chat, { userId: 'alice', groups: ['vip'] }));
    const bob = track(clientFor(chat, { userId: 'bob' }));
    const [aliceInbox, bobInbox] = [inbox(alice), inbox(bob)];
    const [, bobId] = await Promise.all([started(alice), started(bob)]);

    await chat.sendToAll('bob only', { contentType: 'text/plain', filter: odata`userId eq ${'bob'}` });
    await chat.sendToAll('vip only', { contentType: 'text/plain', filter: "'vip' in groups and not (userId eq null)" });
    await chat.sendToAll('not bob', { contentType: 'text/plain', excludedConnections: [bobId] });
    await chat.sendToAll('last', { contentType: 'text/plain' });

    expect((await waitForCount(aliceInbox, 3)).map((m) => m.data)).toEqual(['vip only', 'not bob', 'last']);
    expect((await waitForCount(bobInbox, 2)).map((m) => m.data)).toEqual(['bob only', 'last']);
    await expect(chat.sendToAll('x', { contentType: 'text/plain', filter: 'userId eq' })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('joins, leaves and sends to groups within the token roles, and is refused outside them', async () => {
    // No SDK retries: a refusal is final, and the SDK would otherwise retry it three times a second apart.
    const noRetry = { messageRetryOptions: { maxRetries: 0 } };
    const member = track(clientFor(chat, { userId: 'member', roles: ['webpubsub.joinLeaveGroup.room1', 'webpubsub.sendToGroup.room1'] }, noRetry));
    const admin = track(clientFor(chat, { userId: 'admin', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'] }));
    const [memberInbox, adminInbox] = [inbox(member), inbox(admin)];
    await Promise.all([started(member), started(admin)]);

    await member.joinGroup('room1');
    await admin.joinGroup('room1');
    const refusedJoin = await member.joinGroup('room2').catch((error: unknown) => error);
    expect(refusedJoin).toBeInstanceOf(SendMessageError);
    expect((refusedJoin as SendMessageError).errorDetail?.name).toBe('Forbidden');
    await expect(member.sendToGroup('room2', 'nope', 'text')).rejects.toBeInstanceOf(SendMessageError);

    await member.sendToGroup('room1', { hello: 1 }, 'json');
    await member.sendToGroup('room1', 'no echo', 'text', { noEcho: true });
    expect(await waitForCount(adminInbox, 2)).toEqual([
      { from: 'group', group: 'room1', data: { hello: 1 }, fromUserId: 'member' },
      { from: 'group', group: 'room1', data: 'no echo', fromUserId: 'member' },
    ]);
    expect(memberInbox).toEqual([{ from: 'group', group: 'room1', data: { hello: 1 }, fromUserId: 'member' }]);

    await member.leaveGroup('room1');
    await admin.sendToGroup('room1', 'after leave', 'text');
    await waitForCount(adminInbox, 3);
    await chat.sendToUser('member', 'marker', { contentType: 'text/plain' });
    await waitFor(() => memberInbox.some((m) => m.data === 'marker') || undefined);
    expect(memberInbox.map((m) => m.data)).not.toContain('after leave');
  });

  it('recovers a dropped socket on the reliable protocol without losing or repeating messages', async () => {
    const client = track(clientFor(chat, { userId: 'roamer' }));
    const received = inbox(client);
    const connectionId = await started(client);
    let reconnects = 0;
    client.on('disconnected', () => reconnects++);

    for (let i = 1; i <= 3; i++) await chat.sendToUser('roamer', `before ${i}`, { contentType: 'text/plain' });
    await waitForCount(received, 3);
    expect((await fetch(`${host.baseUrl}/admin/webpubsub/chat/connections/${connectionId}/drop`, { method: 'POST' })).status).toBe(202);
    // Sent at once: they meet the dead socket or none, and must come through the recovered one.
    for (let i = 1; i <= 3; i++) await chat.sendToUser('roamer', `while away ${i}`, { contentType: 'text/plain' });
    const all = await waitForCount(received, 6);
    await chat.sendToUser('roamer', 'after', { contentType: 'text/plain' });
    await waitForCount(received, 7);
    expect(received.map((m) => m.data)).toEqual(['before 1', 'before 2', 'before 3', 'while away 1', 'while away 2', 'while away 3', 'after']);
    expect(all).toBe(received);
    expect(reconnects).toBe(0); // recovered, not a new connection
    const described = (await adminView(host)).hubs.find((h) => h.name === 'chat')!.connections.find((c) => c.connectionId === connectionId);
    expect(described).toMatchObject({ attached: true, recoveries: 1 });
    expect(await chat.connectionExists(connectionId)).toBe(true);
  });

  it('delivers connect, connected, disconnected and user events as signed CloudEvents after the abuse-protection handshake', async () => {
    const client = track(clientFor(chat, { userId: 'eventful' }));
    const replies = inbox(client);
    const connectionId = await started(client);
    await client.sendEvent('echo', 'ping', 'text');
    expect(await waitForCount(replies, 1)).toEqual([{ from: 'server', data: 'echo: ping' }]);
    client.stop();

    type Received = { validation?: boolean; origin?: string; headers: Record<string, string>; body: Record<string, unknown> };
    const events = await waitFor(async () => {
      const all = (await (await fetch(`${host.baseUrl}/api/received-events`)).json()) as Received[];
      const mine = all.filter((e) => e.headers?.['ce-connectionid'] === connectionId);
      return mine.some((e) => e.headers['ce-type'] === 'azure.webpubsub.sys.disconnected') ? { all, mine } : undefined;
    });
    expect(events.all[0]).toMatchObject({ validation: true, origin: `127.0.0.1:${new URL(view.endpoint).port}` });
    expect(events.mine.map((e) => e.headers['ce-type'])).toEqual(['azure.webpubsub.sys.connect', 'azure.webpubsub.sys.connected', 'azure.webpubsub.user.echo', 'azure.webpubsub.sys.disconnected']);
    const [connect] = events.mine;
    const key = /AccessKey=([^;]+)/.exec(view.connectionString)![1]!;
    expect(connect!.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-hub': 'chat',
      'ce-eventname': 'connect',
      'ce-userid': 'eventful',
      'ce-source': `/hubs/chat/client/${connectionId}`,
      'ce-signature': `sha256=${createHmac('sha256', key).update(connectionId).digest('hex')}`,
    });
    expect(connect!.body).toMatchObject({ claims: { sub: ['eventful'] }, subprotocols: ['json.reliable.webpubsub.azure.v1'] });
    expect(events.mine[3]!.body).toMatchObject({ reason: expect.stringContaining('closed by the client') });
  });

  it('lets the connect handler refuse a client or assign its user id, groups and roles', async () => {
    const url = (await chat.getClientAccessToken({ userId: 'x' })).url;
    expect(await upgradeStatus(`${url}&reject=403`)).toBe(403);
    expect(await upgradeStatus(`${url}&reject=401`)).toBe(401);
    expect(await upgradeStatus(`${url}&reject=500`)).toBe(500);

    const anonymous = track(clientFor(chat, { userId: 'anonymous' }));
    const userIds: string[] = [];
    anonymous.on('connected', (e) => userIds.push(e.userId));
    const messages = inbox(anonymous);
    await started(anonymous);
    expect(userIds).toEqual(['assigned-by-handler']);
    await anonymous.sendToGroup('lobby', 'assigned role works', 'text');
    expect(await waitForCount(messages, 1)).toEqual([{ from: 'group', group: 'lobby', data: 'assigned role works', fromUserId: 'assigned-by-handler' }]);
    expect(await chat.userExists('assigned-by-handler')).toBe(true);
  });

  it('refuses clients of a hub whose event handler fails the abuse-protection handshake', async () => {
    const guarded = serviceClient(view.connectionString, 'guarded');
    const client = track(clientFor(guarded, { userId: 'u' }, { autoReconnect: false }));
    await expect(client.start()).rejects.toThrow();
    await waitFor(() => host.output().includes('failed the abuse-protection check') || undefined);
  });
});
