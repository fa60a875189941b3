import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type * as df from 'durable-functions';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';
import { durableClient, finished, waitForStatus } from './durable-client';

// Durability: the host is killed (SIGKILL, no graceful stop) mid-work and started again on the same data dir.
const app = path.join(__dirname, '../fixtures/durable-app');
const hosts: RunningHost[] = [];

async function start(dataDir: string, markers: string): Promise<{ host: RunningHost; client: df.DurableClient }> {
  const host = await startHost({ app, dataDir, args: ['--no-azurite'], env: { DURABLE_MARKERS: markers } });
  hosts.push(host);
  return { host, client: await durableClient(host.baseUrl) };
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

/** The lines the fixture's activities append, one per run (none before the first run). */
const runs = (markers: string): string[] => {
  const file = path.join(markers, 'runs.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
};

describe('restart of the host', () => {
  it('fires a durable timer that fell due while the host was down, and completes once', async () => {
    const dataDir = tempDir('fx-durable-restart-');
    const markers = tempDir('fx-durable-markers-');
    const first = await start(dataDir, markers);
    const id = await first.client.startNew('SleepThenCount', { input: { ms: 800, marker: 'timer' } });
    // Killed once the timer is committed (the first activity's result with it).
    const timer = await waitFor(
      async () => {
        const status = await (await fetch(`${first.host.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`)).json();
        return (status.historyEvents as { EventType: string; FireAt?: string }[]).find((event) => event.EventType === 'TimerCreated');
      },
      10_000,
      'the timer to be created',
    );
    await first.host.stop('SIGKILL');
    // The timer falls due while nothing runs.
    await waitFor(() => Date.now() > Date.parse(timer.FireAt!) || undefined, 10_000, 'the timer to fall due');

    const second = await start(dataDir, markers);
    const status = await waitForStatus(second.client, id, finished);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(1);
    // Completed work was not redone: each activity ran exactly once.
    expect(runs(markers)).toEqual(['timer:before', 'timer:after']);
  });

  it('runs again an activity that was running when the host died (at least once), and nothing completed before it', async () => {
    const dataDir = tempDir('fx-durable-restart-');
    const markers = tempDir('fx-durable-markers-');
    const first = await start(dataDir, markers);
    const id = await first.client.startNew('SlowThenCount', { input: { ms: 1500, marker: 'slow' } });
    await waitFor(() => runs(markers).includes('slow:slow-started') || undefined, 10_000, 'the slow activity to start');
    await first.host.stop('SIGKILL');

    const second = await start(dataDir, markers);
    const status = await waitForStatus(second.client, id, finished);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['slow done', 1]);
    expect(runs(markers)).toEqual(['slow:before', 'slow:slow-started', 'slow:slow-started', 'slow:after']);
  });

  it('keeps finished instances and entity state across a graceful restart', async () => {
    const dataDir = tempDir('fx-durable-restart-');
    const markers = tempDir('fx-durable-markers-');
    const first = await start(dataDir, markers);
    const done = await waitForStatus(first.client, await first.client.startNew('FanOut', { input: 10 }), finished);
    const { EntityId } = await import('durable-functions');
    const entity = new EntityId('Counter', 'kept');
    await first.client.signalEntity(entity, 'add', 42);
    await waitFor(async () => (await first.client.readEntityState(entity)).entityExists || undefined, 10_000, 'the entity');
    await first.host.stop();

    const second = await start(dataDir, markers);
    expect((await second.client.getStatus(done.instanceId)).output).toBe(110);
    expect(await second.client.readEntityState(entity)).toEqual({ entityExists: true, entityState: 42 });
  });
});
