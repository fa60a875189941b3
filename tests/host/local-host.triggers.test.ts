import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';

const app = path.join(projectRoot, 'tests/fixtures/sample-app');

interface FixtureEvent {
  type: string;
  [key: string]: unknown;
}

function eventsOf(host: RunningHost) {
  return async (type?: string): Promise<FixtureEvent[]> => {
    const response = await fetch(`${host.baseUrl}/api/events`);
    const events = (await response.json()) as FixtureEvent[];
    return type ? events.filter((event) => event.type === type) : events;
  };
}

function send(host: RunningHost, entity: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${host.baseUrl}/admin/servicebus/${entity}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * Waits until the named queues (and each subscription of a named topic) hold nothing visible or
 * locked: every message was taken, handled and settled, so nothing more is delivered from them.
 */
async function settled(host: RunningHost, ...entities: string[]): Promise<void> {
  const named = (path: string) => entities.some((entity) => path === entity || path.startsWith(`${entity}/`));
  await waitFor(
    async () => {
      const list = (await (await fetch(`${host.baseUrl}/admin/servicebus`)).json()) as { kind: string; path: string; active?: number; locked?: number }[];
      const receivers = list.filter((entity) => entity.kind !== 'topic' && named(entity.path));
      return (receivers.length > 0 && receivers.every((entity) => entity.active === 0 && entity.locked === 0)) || undefined;
    },
    15_000,
    `${entities.join(', ')} to settle`,
  );
}

describe('Service Bus and timer triggers through the local host', () => {
  let host: RunningHost;
  let events: ReturnType<typeof eventsOf>;

  beforeAll(async () => {
    const dataDir = tempDir();
    host = await startHost({
      app,
      dataDir,
      args: ['--no-azurite'],
      env: { FIXTURE_EVENTS_FILE: path.join(dataDir, 'events.jsonl'), 'AzureWebJobs.parked.Disabled': 'true', 'AzureWebJobs.parkedHttp.Disabled': '1' },
    });
    events = eventsOf(host);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('delivers a REST-ingested message with its broker and custom properties as trigger metadata', async () => {
    const response = await send(
      host,
      'inspect',
      { rfq: 'RFQ-1' },
      {
        BrokerProperties: JSON.stringify({ MessageId: 'msg-inspect-1', CorrelationId: 'corr-9' }),
        Priority: '5',
        Region: '"EU"',
      },
    );
    expect(response.status).toBe(201);
    const [event] = await waitFor(async () => ((await events('inspect')).length ? events('inspect') : undefined), 5000, 'inspect');
    expect(event).toMatchObject({
      message: { rfq: 'RFQ-1' },
      messageId: 'msg-inspect-1',
      correlationId: 'corr-9',
      deliveryCount: 1,
      contentType: 'application/json',
      // fetch lower-cases header names; typed values follow the REST API's quoting rules.
      applicationProperties: { priority: 5, region: 'EU' },
    });
    expect(Date.parse(event!.enqueuedTimeUtc as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('drops a message whose id was already accepted within the duplicate-detection window', async () => {
    const headers = { BrokerProperties: JSON.stringify({ MessageId: 'dup-1' }) };
    expect((await send(host, 'inspect', { copy: 1 }, headers)).status).toBe(201);
    expect((await send(host, 'inspect', { copy: 2 }, headers)).status).toBe(201);
    await waitFor(async () => (await events('inspect')).some((event) => event.messageId === 'dup-1') || undefined);
    await settled(host, 'inspect');
    const copies = (await events('inspect')).filter((event) => event.messageId === 'dup-1');
    expect(copies.map((event) => event.message)).toEqual([{ copy: 1 }]);
  });

  it('redelivers a failing message with deliveryCount + 1 until it succeeds', async () => {
    await send(host, 'flaky', { job: 'retry-me' });
    const deliveries = await waitFor(async () => {
      const list = await events('flaky');
      return list.length >= 3 ? list : undefined;
    });
    expect(deliveries.map((event) => event.deliveryCount)).toEqual([1, 2, 3]);
    const dead = await (await fetch(`${host.baseUrl}/admin/servicebus/flaky/deadletter`)).json();
    expect(dead).toEqual([]);
  });

  it('dead-letters a message that always fails after maxDeliveryCount deliveries', async () => {
    await send(host, 'always-fails', { job: 'poison' }, { BrokerProperties: JSON.stringify({ MessageId: 'poison-1' }) });
    const dead = await waitFor(async () => {
      const list = await (await fetch(`${host.baseUrl}/admin/servicebus/always-fails/deadletter`)).json();
      return list.length ? list : undefined;
    });
    expect(dead).toEqual([expect.objectContaining({ messageId: 'poison-1', deliveryCount: 3, deadLetterReason: 'MaxDeliveryCountExceeded', body: '{"job":"poison"}' })]);
    expect((await events('always-fails')).map((event) => event.deliveryCount)).toEqual([1, 2, 3]);
    const metrics = await (await fetch(`${host.baseUrl}/admin/metrics`)).text();
    expect(metrics).toMatch(/host_servicebus_dead_letters_total\{entity="always-fails",reason="MaxDeliveryCountExceeded"\} 1/);
  });

  it('copies a topic message to each subscription', async () => {
    await send(host, 'news', { headline: 'fan-out' });
    const copies = await waitFor(async () => {
      const list = (await events('news')).filter((event) => (event.message as { headline: string }).headline === 'fan-out');
      return list.length >= 2 ? list : undefined;
    });
    expect(copies.map((event) => event.subscription).sort()).toEqual(['audit', 'mailer']);
  });

  it('sends output binding messages only when the invocation succeeds', async () => {
    const accepted = await fetch(`${host.baseUrl}/api/orders`, { method: 'POST', body: JSON.stringify({ id: 7 }) });
    expect(accepted.status).toBe(202);
    const rejected = await fetch(`${host.baseUrl}/api/orders`, { method: 'POST', body: JSON.stringify({ id: 8, fail: true }) });
    expect(rejected.status).toBe(500);
    await waitFor(async () => (await events('news')).filter((event) => /order 7|second 7/.test(JSON.stringify(event.message))).length >= 4 || undefined);
    const orders = await events('orders');
    expect(orders.map((event) => event.message)).toEqual([{ id: 7 }]);
    await settled(host, 'orders', 'news');
    expect(JSON.stringify(await events())).not.toContain('order 8');
  });

  it('refuses messages for unknown entities and malformed broker properties', async () => {
    expect((await send(host, 'no-such-queue', { x: 1 })).status).toBe(404);
    const bad = await send(host, 'inspect', { x: 1 }, { BrokerProperties: '{"TimeToLive": "soon"}' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).Message).toMatch(/TimeToLive/);
  });

  it('runs a runOnStartup timer at start and a frequent schedule repeatedly', async () => {
    const startup = await waitFor(async () => ((await events('startupTimer')).length ? events('startupTimer') : undefined));
    expect(startup[0]).toMatchObject({ isPastDue: false });
    const ticks = await waitFor(
      async () => {
        const list = await events('everyTwoSeconds');
        return list.length >= 2 ? list : undefined;
      },
      7000,
      'two ticks',
    );
    const gap = Date.parse(ticks[1]!.at as string) - Date.parse(ticks[0]!.at as string);
    expect(gap).toBeGreaterThan(1500);
    expect(gap).toBeLessThan(2600);
  });

  it('invokes a non-HTTP function by hand through POST /admin/functions/{name}', async () => {
    const before = (await events('inspect')).length;
    const response = await fetch(`${host.baseUrl}/admin/functions/inspect`, { method: 'POST', body: JSON.stringify({ input: '{"manual":true}' }) });
    expect(response.status).toBe(202);
    const after = await waitFor(async () => {
      const list = await events('inspect');
      return list.length > before ? list : undefined;
    });
    expect(after.at(-1)).toMatchObject({ message: { manual: true }, deliveryCount: 1 });
    expect((await fetch(`${host.baseUrl}/admin/functions/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it("feeds a timer's return value to its output binding, and serves REST receive-and-delete on a subscription", async () => {
    const receive = (timeout: number, subscription = 'readers') =>
      fetch(`${host.baseUrl}/admin/servicebus/bulletins/subscriptions/${subscription}/messages/head?timeout=${timeout}`, { method: 'DELETE' });
    // Asked before anything is sent: the long poll answers when the message arrives.
    const waiting = receive(10);
    expect((await fetch(`${host.baseUrl}/admin/functions/announce`, { method: 'POST', body: '{}' })).status).toBe(202);
    const first = await waiting;
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ headline: 'from a timer' });
    expect(JSON.parse(first.headers.get('brokerproperties')!)).toMatchObject({ MessageId: expect.stringMatching(/^[0-9a-f]{32}$/), SequenceNumber: 1, DeliveryCount: 1 });
    const second = await receive(5);
    expect(await second.text()).toBe('plain text');
    expect(JSON.parse(second.headers.get('brokerproperties')!).SequenceNumber).toBe(2);
    // Receive-and-delete took them: nothing is left.
    expect((await receive(0)).status).toBe(204);
    expect((await receive(0, 'nobody')).status).toBe(404);
  });

  it('never fires a disabled function’s trigger (its queue keeps the message, its route is a 404), but runs it through the admin API', async () => {
    expect((await send(host, 'parked', { job: 'waits' })).status).toBe(201);
    expect((await fetch(`${host.baseUrl}/api/parked`)).status).toBe(404);
    const entities = (await (await fetch(`${host.baseUrl}/admin/servicebus`)).json()) as { path: string; active?: number }[];
    expect(entities.find((entity) => entity.path === 'parked')).toMatchObject({ active: 1 });
    expect(await events('parked')).toEqual([]);
    expect((await fetch(`${host.baseUrl}/admin/functions/parked`, { method: 'POST', body: JSON.stringify({ input: '{"by":"hand"}' }) })).status).toBe(202);
    const [run] = await waitFor(async () => ((await events('parked')).length ? events('parked') : undefined));
    expect(run).toMatchObject({ message: { by: 'hand' } });
    expect(host.output()).toContain("Function 'parked' is disabled");
  });

  it('ran the appStart hook before serving', async () => {
    expect((await events('appStart')).length).toBe(1);
  });
});

describe('restarting the host', () => {
  it('finishes in-flight messages on SIGTERM, keeps the rest, and delivers each exactly once after restart', async () => {
    const dataDir = tempDir();
    const env = { FIXTURE_EVENTS_FILE: path.join(dataDir, 'events.jsonl') };
    const first = await startHost({ app, dataDir, env, args: ['--no-azurite'] });
    const ids = Array.from({ length: 12 }, (_, i) => `slow-${i}`);
    for (const id of ids) {
      await send(first, 'slow', { id, ms: 400 }, { BrokerProperties: JSON.stringify({ MessageId: id }) });
    }
    await waitFor(async () => (await eventsOf(first)('slow-start')).length >= 2 || undefined);
    expect(await first.stop('SIGTERM')).toBe(0);

    const afterFirst = await readEventsFile(env.FIXTURE_EVENTS_FILE);
    const started = afterFirst.filter((event) => event.type === 'slow-start').length;
    const done = afterFirst.filter((event) => event.type === 'slow-done').length;
    expect(started).toBe(done); // graceful: nothing was cut off mid-handler
    expect(done).toBeLessThan(ids.length); // and the rest stayed queued
    expect(afterFirst.some((event) => event.type === 'appTerminate')).toBe(true);

    const second = await startHost({ app, dataDir, env, args: ['--no-azurite'] });
    try {
      const all = await waitFor(
        async () => {
          const list = (await eventsOf(second)('slow-done')).map((event) => (event.message as { id: string }).id);
          return list.length >= ids.length ? list : undefined;
        },
        15_000,
        'all slow messages',
      );
      await settled(second, 'slow');
      const final = (await eventsOf(second)('slow-done')).map((event) => (event.message as { id: string }).id);
      expect(final.sort()).toEqual([...ids].sort()); // none lost, none twice
      expect(all.length).toBe(ids.length);
    } finally {
      await second.stop();
    }
  }, 40_000);

  it('runs an occurrence missed while the host was down at start, marked past due', async () => {
    const dataDir = tempDir();
    const env = { FIXTURE_EVENTS_FILE: path.join(dataDir, 'events.jsonl') };
    // The status the schedule monitor saved when the timer last ran, on the minute, an hour ago.
    const lastRun = Math.floor((Date.now() - 3600_000) / 60_000) * 60_000;
    mkdirSync(path.join(dataDir, 'timers'), { recursive: true });
    writeFileSync(
      path.join(dataDir, 'timers', 'everyminute.status.json'),
      JSON.stringify({ Last: new Date(lastRun).toISOString(), Next: new Date(lastRun + 60_000).toISOString(), LastUpdated: new Date(lastRun).toISOString() }),
    );
    const host = await startHost({ app, dataDir, env, args: ['--no-azurite'] });
    try {
      const [event] = await waitFor(async () => ((await eventsOf(host)('everyMinute')).length ? eventsOf(host)('everyMinute') : undefined));
      expect(event).toMatchObject({ isPastDue: true });
    } finally {
      await host.stop();
    }
  });
});

async function readEventsFile(file: string): Promise<FixtureEvent[]> {
  const { readFileSync, existsSync } = await import('node:fs');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
