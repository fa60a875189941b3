import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Principal, Role } from '../../../../../shared/domain/identity/principal';
import type { ClientGrant, RealtimeGateway, RealtimeMessage } from '../../../../../shared/domain/realtime/gateway';
import { type RealtimeModule, realtimeModule } from '../../../../../shared/domain/realtime/module';
import { AppError } from '../../../../../shared/errors';
import { createAppLogger } from '../../../../../shared/observability/app-logger';

// The real-time module over the embedded store and a gateway that plays the service: it signs
// nothing, records what it is sent, and knows which groups have members.
const now = new Date('2026-11-25T10:00:00Z');
const ENDPOINT = 'https://wps-fx.webpubsub.azure.com';
let sentToAll: RealtimeMessage[];
let watchedGroups: Set<string>;
let serviceDown: boolean;
let accounts: Map<string, Role[]>;
let realtime: RealtimeModule;

const gateway: RealtimeGateway = {
  hub: 'marketplace',
  clientAccess: async (grant: ClientGrant) => ({ url: `wss://service/client?user=${grant.userId}`, expiresAt: '2026-11-25T11:00:00.000Z' }),
  sendToUser: async () => undefined,
  sendToGroup: async () => undefined,
  sendToAll: async (message) => void sentToAll.push(message),
  connectionExists: async () => true,
  groupExists: async (group) => {
    if (serviceDown) throw new Error('connect ECONNREFUSED 10.0.0.4:443');
    return watchedGroups.has(group);
  },
};

/** Events pass only with the signature `good`. */
const authenticateEvent = async ({ signature }: { signature?: string }) => {
  if (signature !== 'good') throw new AppError('unauthenticated', 'Not from the service.');
};

const compose = (configured: boolean) =>
  realtimeModule({
    store: SqliteDocumentStore.open(':memory:'),
    gateway: configured ? gateway : null,
    authenticateEvent,
    leaseSeconds: 60,
    endpoint: configured ? ENDPOINT : null,
    rolesOf: async (userId) => accounts.get(userId) ?? null,
    logger: createAppLogger('error'),
    now: () => now,
  });

beforeEach(async () => {
  sentToAll = [];
  watchedGroups = new Set();
  serviceDown = false;
  accounts = new Map([
    ['expert-1', ['expert']],
    ['client-1', ['client']],
  ]);
  realtime = await compose(true);
});

const expert: Principal = { userId: 'expert-1', sessionId: 's-1', roles: ['expert'] };
const client: Principal = { userId: 'client-1', sessionId: 's-2', roles: ['client'] };
const event = (type: string, extra: Partial<Parameters<RealtimeModule['service']['handleEvent']>[0]> = {}) => ({
  type: `azure.webpubsub.sys.${type}`,
  hub: 'marketplace',
  connectionId: 'conn-1',
  userId: 'expert-1',
  signature: 'good',
  authorization: null,
  ...extra,
});

describe('negotiating a connection', () => {
  it("binds it to the caller; an expert joins their own group and gets a presence, a watcher may join the watched experts' groups", async () => {
    const access = await realtime.service.negotiate(expert, []);
    expect(access).toEqual({
      url: 'wss://service/client?user=expert-1',
      expiresAt: '2026-11-25T11:00:00.000Z',
      hub: 'marketplace',
      userId: 'expert-1',
      groups: ['expert:expert-1'],
      roles: ['webpubsub.joinLeaveGroup.expert:expert-1'],
    });
    expect(await realtime.presence!.get('expert-1')).toMatchObject({ status: 'offline', chosen: 'online' });
    const watcher = await realtime.service.negotiate(client, ['expert-1']);
    expect(watcher).toMatchObject({ userId: 'client-1', groups: [], roles: ['webpubsub.joinLeaveGroup.expert:expert-1'] });
    expect(await realtime.presence!.get('client-1')).toBeNull();
  });
});

describe("an expert's presence", () => {
  it('is offline and never seen for an expert who never connected nor chose a status', async () => {
    expect(await realtime.service.presenceOf('expert-1')).toEqual({ expertId: 'expert-1', status: 'offline', chosen: 'online', lastSeenAt: null });
  });

  it('is a 404 for an account that is not an expert, and for no account', async () => {
    await expect(realtime.service.presenceOf('client-1')).rejects.toMatchObject({ kind: 'not_found', message: 'No such expert.' });
    await expect(realtime.service.presenceOf('nobody')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('shows what the expert chose while connected, and offline after the disconnected event', async () => {
    await realtime.service.choose('expert-1', 'busy');
    await realtime.service.handleEvent(event('connected'));
    expect(await realtime.service.presenceOf('expert-1')).toMatchObject({ status: 'busy', chosen: 'busy', lastSeenAt: expect.any(String) });
    await realtime.service.handleEvent(event('disconnected'));
    expect(await realtime.service.presenceOf('expert-1')).toMatchObject({ status: 'offline', chosen: 'busy' });
  });
});

describe("the service's events", () => {
  it('are refused unless they come from the service (401), and then change nothing', async () => {
    await realtime.service.choose('expert-1', 'online');
    await expect(realtime.service.handleEvent(event('connected', { signature: 'forged' }))).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect((await realtime.service.presenceOf('expert-1')).status).toBe('offline');
  });

  it('are refused for another hub (400 naming ce-hub), and accepted for this one in any case', async () => {
    await realtime.service.choose('expert-1', 'online');
    const refused = await realtime.service.handleEvent(event('connected', { hub: 'other' })).catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: 'validation', message: 'Events of hub "other" are not this app\'s.', issues: [{ field: 'headers.ce-hub', message: 'must be marketplace' }] });
    await realtime.service.handleEvent(event('connected', { hub: 'MarketPlace' }));
    expect((await realtime.service.presenceOf('expert-1')).status).toBe('online');
  });

  it('track nothing for an anonymous connection', async () => {
    await realtime.service.handleEvent(event('connected', { userId: undefined }));
    expect(await realtime.presence!.counts()).toEqual({ connections: 0, users: 0 });
  });
});

describe('announcements', () => {
  it('go to every connected client, stamped with the time', async () => {
    await realtime.service.announce({ title: 'Maintenance', body: 'Tonight at 22:00 UTC.' });
    expect(sentToAll).toEqual([{ type: 'announcement', title: 'Maintenance', body: 'Tonight at 22:00 UTC.', sentAt: now.toISOString() }]);
  });
});

describe('the real-time status', () => {
  it('shows the service reachable, the live connections and the experts online with whether anyone watches them', async () => {
    await realtime.service.choose('expert-1', 'online');
    await realtime.service.handleEvent(event('connected'));
    await realtime.service.handleEvent(event('connected', { connectionId: 'conn-2', userId: 'client-1' }));
    watchedGroups.add('expert:expert-1');
    const status = await realtime.service.status();
    expect(status).toMatchObject({
      hub: 'marketplace',
      endpoint: ENDPOINT,
      service: { reachable: true, latencyMs: expect.any(Number) },
      connections: { live: 2, users: 2 },
      experts: [{ expertId: 'expert-1', group: 'expert:expert-1', status: 'online', watched: true }],
    });
  });

  it('says why the service is unreachable, and then cannot tell who is watched (null)', async () => {
    await realtime.service.choose('expert-1', 'online');
    await realtime.service.handleEvent(event('connected'));
    serviceDown = true;
    const status = await realtime.service.status();
    expect(status.service).toEqual({ reachable: false, latencyMs: null, error: 'connect ECONNREFUSED 10.0.0.4:443' });
    expect(status.experts.map((entry) => entry.watched)).toEqual([null]);
  });
});

describe('without Web PubSub configured', () => {
  it('answers every use case with a 503 naming the setting', async () => {
    const { service } = await compose(false);
    const calls = [
      () => service.negotiate(client, []),
      () => service.presenceOf('expert-1'),
      () => service.choose('expert-1', 'away'),
      () => service.announce({ title: 't', body: 'b' }),
      () => service.handleEvent(event('connected')),
      () => service.status(),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/WEBPUBSUB_ENDPOINT/) });
  });
});
