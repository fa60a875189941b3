import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { expertPresence, realtimeConnections } from '../../../../../shared/domain/realtime/containers';
import type { RealtimeGateway, RealtimeMessage } from '../../../../../shared/domain/realtime/gateway';
import { type ConnectionRecord, Presence, type PresenceRecord } from '../../../../../shared/domain/realtime/presence';
import { createAppLogger } from '../../../../../shared/observability/app-logger';

// Lease arithmetic with a clock under the test's control: the sweep renews what the service
// still has, drops what it has not, and reads never count an expired lease as live.
async function setup() {
  const store = SqliteDocumentStore.open(':memory:');
  let now = Date.parse('2026-11-25T10:00:00Z');
  const live = new Set<string>();
  const pushed: { group: string; message: RealtimeMessage }[] = [];
  const gateway = {
    connectionExists: async (id: string) => live.has(id),
    sendToGroup: async (group: string, message: RealtimeMessage) => void pushed.push({ group, message }),
  } as unknown as RealtimeGateway;
  const presence = new Presence(await store.container<ConnectionRecord>(realtimeConnections), await store.container<PresenceRecord>(expertPresence), gateway, 60, createAppLogger('error'), () => now);
  return { presence, live, pushed, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('presence leases', () => {
  it('renews a connection the service still has and drops one it lost, pushing offline once', async () => {
    const { presence, live, pushed, advance } = await setup();
    await presence.enrol('e1');
    live.add('c-kept');
    await presence.connected('c-kept', 'e1');
    await presence.connected('c-lost', 'e1');
    expect(pushed.map((p) => p.message.status)).toEqual(['online']);

    advance(20); // not yet within half a lease of expiry: nothing to ask
    expect(await presence.sweep()).toEqual({ renewed: 0, dropped: 0 });
    advance(20);
    expect(await presence.sweep()).toEqual({ renewed: 1, dropped: 1 });
    expect(pushed).toHaveLength(1); // still online through the kept connection

    live.delete('c-kept');
    advance(40);
    expect(await presence.sweep()).toEqual({ renewed: 0, dropped: 1 });
    expect(pushed.map((p) => [p.group, p.message.status])).toEqual([
      ['expert:e1', 'online'],
      ['expert:e1', 'offline'],
    ]);
    expect((await presence.get('e1'))!.status).toBe('offline');
  });

  it('reads an expired lease as offline even when no sweep has run (all instances down)', async () => {
    const { presence, advance } = await setup();
    await presence.enrol('e2');
    await presence.connected('c1', 'e2');
    expect((await presence.get('e2'))!.status).toBe('online');
    advance(61);
    expect(await presence.get('e2')).toMatchObject({ status: 'offline', chosen: 'online' });
  });

  it('has no presence for users who are not enrolled experts', async () => {
    const { presence, pushed } = await setup();
    await presence.connected('c1', 'client-1');
    expect(await presence.get('client-1')).toBeNull();
    expect(pushed).toEqual([]);
  });
});
