import { WebSocket } from 'ws';
import type { WebPubSubServiceClient } from '@azure/web-pubsub';
import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningHost } from '../helpers/host-process';
import { adminView, clientFor, inbox, serviceClient, started, upgradeStatus, useFixtureHost, waitForCount, type AdminView } from './helpers';

describe('local Web PubSub REST API, operation by operation', () => {
  const fixture = useFixtureHost('ops');
  let host: RunningHost;
  let view: AdminView;
  let key: string;
  let hub: WebPubSubServiceClient;
  beforeAll(() => void ({ host, view, key, service: hub } = fixture));
  /** Clients on a hub without event handlers, that stay closed when the service closes them. */
  const connect = async (userId: string, extra: { groups?: string[]; reliable?: boolean } = {}) => {
    const client = fixture.track(clientFor(hub, { userId, groups: extra.groups }, { autoReconnect: false, reliable: extra.reliable, messageRetryOptions: { maxRetries: 0 } }));
    const messages = inbox(client);
    const stopped = new Promise<void>((resolve) => client.on('stopped', () => resolve()));
    return { client, messages, stopped, id: await started(client) };
  };

  it('answers the existence checks for connections, groups and users', async () => {
    const { id } = await connect('exists-user', { groups: ['exists-group'] });
    expect(await hub.connectionExists(id)).toBe(true);
    expect(await hub.connectionExists('nope')).toBe(false);
    expect(await hub.groupExists('exists-group')).toBe(true);
    expect(await hub.groupExists('empty-group')).toBe(false);
    expect(await hub.userExists('exists-user')).toBe(true);
    expect(await hub.userExists('nobody')).toBe(false);
    await expect(hub.sendToConnection('gone', 'to nobody', { contentType: 'text/plain' })).resolves.toBeDefined(); // 202, not a RestError
  });

  it('adds and removes connections in groups, one by one, by filter and all at once', async () => {
    const a = await connect('ann');
    const b = await connect('ben');
    const members = async (group: string) => {
      const ids: string[] = [];
      // The SDK wraps the pager in a tracing span, which makes it a promise of the pager.
      for await (const member of await hub.group(group).listConnections()) ids.push(member.connectionId);
      return ids.sort();
    };
    await hub.group('g1').addConnection(a.id);
    expect(await members('g1')).toEqual([a.id]);
    await expect(hub.group('g1').addConnection('missing')).rejects.toMatchObject({ statusCode: 404 });
    await hub.group('g1').removeConnection(a.id);
    expect(await hub.groupExists('g1')).toBe(false);

    await hub.addConnectionsToGroups(['g2', 'g3'], "userId eq 'ben'");
    expect([await members('g2'), await members('g3')]).toEqual([[b.id], [b.id]]);
    await hub.addConnectionsToGroups(['g2'], "userId ne 'ben'");
    expect(await members('g2')).toEqual([a.id, b.id].sort());
    await hub.removeConnectionsFromGroups(['g2'], `connectionId eq '${a.id}'`);
    expect(await members('g2')).toEqual([b.id]);
    await hub.removeConnectionFromAllGroups(b.id);
    expect([await hub.groupExists('g2'), await hub.groupExists('g3')]).toEqual([false, false]);
  });

  it("adds a user to a group (including the user's later connections) and removes the user from one or all groups", async () => {
    const first = await connect('uma');
    await hub.group('team').addUser('uma');
    await hub.group('crew').addUser('uma');
    const second = await connect('uma');
    const view = (await adminView(host)).hubs.find((h) => h.name === 'ops')!;
    expect(view.groups.team?.sort()).toEqual([first.id, second.id].sort());

    await hub.group('team').sendToAll('to team', { contentType: 'text/plain' });
    expect((await waitForCount(second.messages, 1)).map((m) => m.data)).toEqual(['to team']);
    await hub.group('team').removeUser('uma');
    expect(await hub.groupExists('team')).toBe(false);
    expect(await hub.groupExists('crew')).toBe(true);
    await hub.removeUserFromAllGroups('uma');
    expect(await hub.groupExists('crew')).toBe(false);
  });

  it('grants, checks and revokes permissions, with and without a target group', async () => {
    const { client, id } = await connect('perm');
    expect(await hub.hasPermission(id, 'joinLeaveGroup', { targetName: 'room' })).toBe(false);
    await expect(client.joinGroup('room', {})).rejects.toThrow();

    await hub.grantPermission(id, 'joinLeaveGroup', { targetName: 'room' });
    expect(await hub.hasPermission(id, 'joinLeaveGroup', { targetName: 'room' })).toBe(true);
    expect(await hub.hasPermission(id, 'joinLeaveGroup', { targetName: 'other' })).toBe(false);
    await client.joinGroup('room');

    await hub.grantPermission(id, 'sendToGroup');
    expect(await hub.hasPermission(id, 'sendToGroup', { targetName: 'anything' })).toBe(true);
    await hub.revokePermission(id, 'sendToGroup');
    expect(await hub.hasPermission(id, 'sendToGroup')).toBe(false);
    await hub.revokePermission(id, 'joinLeaveGroup', { targetName: 'room' });
    expect(await hub.hasPermission(id, 'joinLeaveGroup', { targetName: 'room' })).toBe(false);
    await expect(hub.grantPermission('missing', 'sendToGroup')).rejects.toMatchObject({ statusCode: 404 });
  });

  it("closes one connection, a user's, a group's and all, honouring exclusions", async () => {
    const one = await connect('c1');
    await hub.closeConnection(one.id, { reason: 'bye' });
    await one.stopped;
    expect(await hub.connectionExists(one.id)).toBe(false);

    const u1 = await connect('closer');
    const u2 = await connect('closer');
    await hub.closeUserConnections('closer', {});
    await Promise.all([u1.stopped, u2.stopped]);
    expect(await hub.userExists('closer')).toBe(false);

    const g1 = await connect('g-a', { groups: ['closing'] });
    const g2 = await connect('g-b', { groups: ['closing'] });
    // The group client's options type omits `excluded`, but the operation underneath sends it.
    const keepG2 = { reason: 'closing the group', excluded: [g2.id] };
    await hub.group('closing').closeAllConnections(keepG2);
    await g1.stopped;
    expect([await hub.connectionExists(g1.id), await hub.connectionExists(g2.id)]).toEqual([false, true]);

    const other = await connect('last', { reliable: false });
    await hub.closeAllConnections();
    await Promise.all([g2.stopped, other.stopped]);
    expect((await adminView(host)).hubs.find((h) => h.name === 'ops')!.connections).toEqual([]);
  });

  it('keeps reliable messages until sequenceAck, and answers a repeated ackId with Duplicate on both JSON protocols', async () => {
    const url = (await hub.getClientAccessToken({ userId: 'seq', roles: ['webpubsub.joinLeaveGroup'] })).url;
    const open = async (protocol: string) => {
      const socket = new WebSocket(url, protocol);
      const frames: Record<string, unknown>[] = [];
      socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
      await new Promise((resolve) => socket.once('open', resolve));
      await waitForCount(frames, 1); // connected
      return { socket, frames };
    };
    const reliable = await open('json.reliable.webpubsub.azure.v1');
    const plain = await open('json.webpubsub.azure.v1');
    const reliableId = reliable.frames[0]!.connectionId as string;
    const unacked = async () => (await adminView(host)).hubs.find((h) => h.name === 'ops')!.connections.find((c) => c.connectionId === reliableId)!.unackedMessages;

    for (let i = 0; i < 3; i++) await hub.sendToConnection(reliableId, `m${i}`, { contentType: 'text/plain' });
    const messages = (await waitForCount(reliable.frames, 4)).slice(1);
    expect(messages.map((m) => [m.sequenceId, m.data])).toEqual([
      [1, 'm0'],
      [2, 'm1'],
      [3, 'm2'],
    ]);
    expect(await unacked()).toBe(3);
    reliable.socket.send(JSON.stringify({ type: 'sequenceAck', sequenceId: 2 }));
    await waitFor(async () => (await unacked()) === 1 || undefined, 5000, 'sequenceAck');

    for (const { socket } of [reliable, plain]) {
      socket.send(JSON.stringify({ type: 'sendToGroup', group: 'g', ackId: 7, dataType: 'text', data: 'refused: no role' }));
      socket.send(JSON.stringify({ type: 'joinGroup', group: 'g', ackId: 7 }));
      socket.send(JSON.stringify({ type: 'joinGroup', group: 'g', ackId: 7 }));
    }
    const acks = async (frames: Record<string, unknown>[]) => (await waitFor(() => (frames.filter((f) => f.type === 'ack').length === 3 ? frames : undefined))).filter((f) => f.type === 'ack');
    for (const { frames } of [reliable, plain]) {
      // A refused message does not use up its ackId; a processed one does.
      expect(await acks(frames)).toEqual([
        { type: 'ack', ackId: 7, success: false, error: { name: 'Forbidden', message: expect.any(String) } },
        { type: 'ack', ackId: 7, success: true },
        { type: 'ack', ackId: 7, success: false, error: { name: 'Duplicate', message: expect.any(String) } },
      ]);
    }
    for (const { socket } of [reliable, plain]) socket.close();
  });

  it('delivers to plain JSON-protocol clients and to clients without a subprotocol', async () => {
    const json = await connect('json-user', { reliable: false });
    const url = (await hub.getClientAccessToken({ userId: 'raw-user' })).url;
    const raw = new WebSocket(url);
    const frames: string[] = [];
    raw.on('message', (data, isBinary) => frames.push(isBinary ? `binary:${(data as Buffer).toString('hex')}` : data.toString()));
    await new Promise((resolve) => raw.once('open', resolve));
    await waitFor(async () => (await hub.userExists('raw-user')) || undefined);

    await hub.sendToAll({ n: 1 });
    await hub.sendToAll('text', { contentType: 'text/plain' });
    await hub.sendToAll(new Uint8Array([0xca, 0xfe]));
    expect(await waitForCount(frames, 3)).toEqual(['{"n":1}', 'text', 'binary:cafe']);
    expect((await waitForCount(json.messages, 3)).map((m) => m.data).slice(0, 2)).toEqual([{ n: 1 }, 'text']);
    raw.close();
  });

  describe('authentication', () => {
    const url = () => `${view.endpoint}/api/hubs/ops/:send?api-version=2024-12-01`;
    const post = (token?: string) => fetch(url(), { method: 'POST', headers: { 'content-type': 'text/plain', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: 'x' });

    it('accepts a token signed with the key for this URL', async () => {
      expect((await post(jwt.sign({}, key, { audience: url(), expiresIn: '1h' }))).status).toBe(202);
    });

    it('rejects a missing, wrongly signed, expired, unexpiring or mis-addressed token with 401', async () => {
      const statuses = await Promise.all([
        post(),
        post(jwt.sign({}, 'another-key', { audience: url(), expiresIn: '1h' })),
        post(jwt.sign({ exp: Math.floor(Date.now() / 1000) - 60 }, key, { audience: url() })),
        post(jwt.sign({}, key, { audience: url() })),
        post(jwt.sign({}, key, { audience: `${view.endpoint}/api/hubs/other/:send`, expiresIn: '1h' })),
        post(jwt.sign({}, key, { audience: url(), expiresIn: '1h', algorithm: 'HS512' })),
      ]);
      expect(statuses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(await (await post()).json()).toMatchObject({ code: 'Unauthorized' });
    });

    it('refuses a client socket whose token is bad, expired or for another hub, and recovery with a wrong token', async () => {
      const base = `${view.endpoint.replace('http', 'ws')}/client/hubs/ops`;
      const good = (await hub.getClientAccessToken({ userId: 'x' })).url;
      expect(await upgradeStatus(good)).toBe(101);
      expect(await upgradeStatus(base)).toBe(401);
      expect(await upgradeStatus(`${base}?access_token=${jwt.sign({}, 'wrong', { audience: `${view.endpoint}/client/hubs/ops`, expiresIn: '1h' })}`)).toBe(401);
      expect(await upgradeStatus((await hub.getClientAccessToken({ expirationTimeInMinutes: -1 })).url)).toBe(401);
      expect(await upgradeStatus((await serviceClient(view.connectionString, 'chat').getClientAccessToken()).url.replace('/hubs/chat', '/hubs/ops'))).toBe(401);
      // A bare reliable socket that drops and does not come back by itself, so the test decides when to recover.
      const reliable = ['json.reliable.webpubsub.azure.v1'];
      const socket = new WebSocket(good, reliable);
      const connected = await new Promise<{ connectionId: string; reconnectionToken: string }>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
      socket.terminate();
      const { connectionId, reconnectionToken } = connected;
      await waitFor(async () => (await adminView(host)).hubs.find((h) => h.name === 'ops')!.connections.some((c) => c.connectionId === connectionId && !c.attached) || undefined);
      const recovery = (token: string) => `${good}&awps_connection_id=${connectionId}&awps_reconnection_token=${encodeURIComponent(token)}`;
      expect(await upgradeStatus(recovery('forged'), reliable)).toBe(404);
      expect(await upgradeStatus(recovery(reconnectionToken), reliable)).toBe(101);
    });
  });
});
