import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../shared/domain/events/schemas';
import { projectRoot, startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';
import { ADMIN, api, IDENTITY_TEST_ENV, login, type Api } from '../helpers/identity';

// Outbound events through the local host, read the way a consumer reads them: from a subscription
// of marketplace-events of its own (created by the settings file), with the Service Bus REST
// receive. Events are staged through a real route (an admin's ping), relayed by the timer through
// the genuine output binding and confirmed by the relay's own subscription; then the host is
// killed (kill -9 of its process group) between staging and publishing, and after publishing but
// before the confirmation, and started again on the same data.

const TOPIC = 'marketplace-events';
const CONSUMER = 'consumer';
// A two-second lease: an attempt the topic does not confirm (its confirmer is off) is sent again within seconds.
const ENV = { ...IDENTITY_TEST_ENV, EVENTS_LEASE_SECONDS: '2' };
const hosts: RunningHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

interface Received {
  event: CloudEvent<{ requestedBy: string; note: string | null }>;
  messageId: string;
}

function consumerSettings(): string {
  const file = path.join(tempDir('fx-events-settings-'), 'settings.json');
  writeFileSync(file, JSON.stringify({ IsEncrypted: false, Values: {}, LocalServiceBus: { entities: { [`${TOPIC}/subscriptions/${CONSUMER}`]: {} } } }));
  return file;
}

async function start(dataDir: string, settings: string, env: Record<string, string> = {}) {
  const host = await startHost({ app: projectRoot, dataDir, settings, env: { ...ENV, ...env }, args: ['--no-azurite'], detached: true });
  hosts.push(host);
  const client = api(host);
  const admin = await login(client, ADMIN.email, ADMIN.password);
  return { host, client, token: admin.accessToken as string, adminId: admin.user.id as string };
}

async function crash(host: RunningHost) {
  await host.stop('SIGKILL');
  hosts.splice(hosts.indexOf(host), 1);
}

/** Runs the relay's pass now rather than at its next five seconds (also when it is disabled: the admin API runs it, as in Azure). */
const relayNow = (host: RunningHost) => fetch(`${host.baseUrl}/admin/functions/eventsRelay`, { method: 'POST', body: '{}' });

async function receive(host: RunningHost, timeoutSeconds: number): Promise<Received | undefined> {
  const response = await fetch(`${host.baseUrl}/admin/servicebus/${TOPIC}/subscriptions/${CONSUMER}/messages/head?timeout=${timeoutSeconds}`, { method: 'DELETE' });
  if (response.status === 204) return undefined;
  expect(response.status).toBe(200);
  return { event: JSON.parse(await response.text()), messageId: JSON.parse(response.headers.get('brokerproperties')!).MessageId };
}

/** The next `count` messages on the consumer's subscription, running the relay whenever none is waiting. */
async function receiveMany(host: RunningHost, count: number): Promise<Received[]> {
  const received: Received[] = [];
  await waitFor(
    async () => {
      const message = await receive(host, 2);
      if (message) received.push(message);
      else await relayNow(host);
      return received.length >= count || undefined;
    },
    60_000,
    `${count} events on ${CONSUMER}`,
  );
  return received;
}

/** Whatever is left on the subscription. */
async function drain(host: RunningHost): Promise<Received[]> {
  const left: Received[] = [];
  for (let message = await receive(host, 0); message; message = await receive(host, 0)) left.push(message);
  return left;
}

async function ping(client: Api, token: string, subject: string, key: string): Promise<CloudEvent> {
  const response = await client.call('POST', 'v1/admin/events/ping', { token, body: { subject }, headers: { 'idempotency-key': key } });
  expect(response.status).toBe(202);
  return response.body;
}

async function listed(client: Api, token: string, status: string) {
  const response = await client.call('GET', `v1/admin/events?status=${status}&limit=100`, { token });
  expect(response.status).toBe(200);
  return response.body.items as { id: string; subject: string; sequence: string; attempts: number; status: string }[];
}

/** Each subject's events in the order they first arrived, as sequence numbers. */
function firstArrivals(received: Received[]): Record<string, number[]> {
  const seen = new Set<string>();
  const order: Record<string, number[]> = {};
  for (const { event } of received) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    (order[event.subject] ??= []).push(Number(event.sequence));
  }
  return order;
}

describe('outbound events through the host', () => {
  it('reach a subscription of the topic as CloudEvents 1.0, in sequence order per subject, and are marked published once the topic confirms them', async () => {
    const { host, client, token, adminId } = await start(tempDir('fx-events-'), consumerSettings());
    // Concurrent stages of the same subjects: the sequence is taken in each stage's batch.
    const staged = await Promise.all(Array.from({ length: 20 }, (_, i) => ping(client, token, i % 2 ? 'alpha' : 'beta', `ping-${i}`)));
    expect((await ping(client, token, 'beta', 'ping-0')).id).toBe(staged[0]!.id); // a retried request is the same event

    const received = await receiveMany(host, 20);
    expect(received.map((message) => message.event.id).sort()).toEqual(staged.map((event) => event.id).sort());
    expect(firstArrivals(received)).toEqual({ alpha: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], beta: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    for (const { event } of received) {
      expect(event).toEqual({
        specversion: '1.0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        source: 'foodxchange/expert-marketplace',
        type: 'foodxchange.marketplace.ping',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        subject: expect.stringMatching(/^(alpha|beta)$/),
        datacontenttype: 'application/json',
        sequence: expect.stringMatching(/^\d{16}$/),
        partitionkey: event.subject,
        data: { requestedBy: adminId, note: null },
      });
      expect(event).toEqual(staged.find((one) => one.id === event.id));
    }
    expect(await drain(host)).toEqual([]); // each once

    await waitFor(async () => (await listed(client, token, 'published')).length === 20 || undefined, 30_000, 'every event confirmed');
    expect(await listed(client, token, 'pending')).toEqual([]);
    expect((await listed(client, token, 'published')).every((event) => event.attempts === 1)).toBe(true);
    const audit = await client.call('GET', `v1/admin/audit?action=admin.event_pinged&limit=100`, { token });
    expect(audit.body.items).toHaveLength(20);
  }, 120_000);

  it('loses nothing to a kill -9 between staging and publishing, and a redelivery after one has the same id and sequence', async () => {
    const dataDir = tempDir('fx-events-crash-');
    const settings = consumerSettings();
    // First life: the relay runs only by hand and nothing confirms (both functions disabled).
    const first = await start(dataDir, settings, { 'AzureWebJobs.eventsRelay.Disabled': 'true', 'AzureWebJobs.eventsConfirm.Disabled': 'true' });
    const sentBeforeCrash: CloudEvent[] = [];
    for (const subject of ['s1', 's2']) for (let n = 1; n <= 3; n++) sentBeforeCrash.push(await ping(first.client, first.token, subject, `${subject}-${n}`));
    expect((await relayNow(first.host)).status).toBe(202);
    const beforeCrash = await receiveMany(first.host, 6);
    expect(beforeCrash.map((message) => message.event.id).sort()).toEqual(sentBeforeCrash.map((event) => event.id).sort());
    // Staged, never sent: the relay is off.
    const stagedOnly: CloudEvent[] = [];
    for (const [subject, n] of [
      ['s1', 4],
      ['s1', 5],
      ['s3', 1],
      ['s3', 2],
    ] as const) {
      stagedOnly.push(await ping(first.client, first.token, subject, `${subject}-${n}`));
    }
    expect(stagedOnly.map((event) => `${event.subject}#${Number(event.sequence)}`)).toEqual(['s1#4', 's1#5', 's3#1', 's3#2']);
    expect(await listed(first.client, first.token, 'published')).toEqual([]);
    await crash(first.host);

    // Second life: the relay runs, nothing confirms yet: the unconfirmed six go again as their lease ends, with the four never sent.
    const second = await start(dataDir, settings, { 'AzureWebJobs.eventsConfirm.Disabled': 'true' });
    const afterCrash = await receiveMany(second.host, 10);
    await crash(second.host);

    // Third life: the confirmations of both lives wait on the relay's subscription; all ten are published.
    const third = await start(dataDir, settings);
    await waitFor(
      async () => {
        await relayNow(third.host);
        return (await listed(third.client, third.token, 'published')).length === 10 || undefined;
      },
      60_000,
      'all ten published',
    );
    expect(await listed(third.client, third.token, 'pending')).toEqual([]);
    const received = [...beforeCrash, ...afterCrash, ...(await drain(third.host))];

    const all = [...sentBeforeCrash, ...stagedOnly];
    expect([...new Set(received.map((message) => message.event.id))].sort()).toEqual(all.map((event) => event.id).sort());
    for (const event of all) {
      const copies = received.filter((message) => message.event.id === event.id).map((message) => message.event);
      expect(copies.length).toBeGreaterThanOrEqual(1);
      for (const copy of copies) expect(copy).toEqual(event);
    }
    // The six sent before the crash came again: same id, same sequence, same time and data.
    for (const event of sentBeforeCrash) expect(received.filter((message) => message.event.id === event.id).length).toBeGreaterThanOrEqual(2);
    // A redelivery is a new Service Bus message (the binding sets no message id): consumers dedupe on the event id.
    const copiesOfFirst = received.filter((message) => message.event.id === sentBeforeCrash[0]!.id);
    expect(new Set(copiesOfFirst.map((message) => message.messageId)).size).toBe(copiesOfFirst.length);
    expect(firstArrivals(received)).toEqual({ s1: [1, 2, 3, 4, 5], s2: [1, 2, 3], s3: [1, 2] });
  }, 180_000);
});
