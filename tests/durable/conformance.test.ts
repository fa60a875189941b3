import Database from 'better-sqlite3';
import path from 'node:path';
import type * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType } from '../../shared/local-host/durable/history';
import { startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';
import { durableClient, finished, waitForStatus } from './durable-client';

// The fixture app uses only the public durable-functions API; the host runs it, the package's own client drives it.
const app = path.join(__dirname, '../fixtures/durable-app');
let host: RunningHost;
let client: df.DurableClient;
const markers = tempDir('fx-durable-markers-');

beforeAll(async () => {
  host = await startHost({ app, args: ['--no-azurite'], env: { DURABLE_MARKERS: markers } });
  client = await durableClient(host.baseUrl);
});
afterAll(async () => {
  await host?.stop();
});

/** The messages waiting in the host's inbox for an instance (its durable.sqlite, read beside it). */
function inboxOf(instanceId: string): string[] {
  const db = new Database(path.join(host.dataDir, 'durable.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT event FROM inbox WHERE instance_id = ?').all(instanceId) as { event: string }[]).map((row) => JSON.parse(row.event).EventType);
  } finally {
    db.close();
  }
}

async function run(name: string, input?: unknown, instanceId?: string): Promise<df.DurableOrchestrationStatus> {
  const id = await client.startNew(name, { ...(input === undefined ? {} : { input }), ...(instanceId ? { instanceId } : {}) });
  return waitForStatus(client, id, finished);
}

const waitingOn = (status: df.DurableOrchestrationStatus) => status.runtimeStatus === 'Running';

describe('orchestrations', () => {
  it('runs activities in sequence, each on the previous one’s completion', async () => {
    const status = await run('Sequence');
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);
  });

  it('fans out 100 activities and fans in their results', async () => {
    const status = await run('FanOut', 100);
    expect(status.output).toBe(2 * ((100 * 101) / 2));
  });

  it('lets an external event win a race against a timer, and cancels the timer', async () => {
    const id = await client.startNew('Race', { input: { timeoutMs: 60_000 } });
    await waitForStatus(client, id, waitingOn);
    await client.raiseEvent(id, 'Approve', 'quality manager');
    const status = await waitForStatus(client, id, finished);
    expect(status.output).toEqual({ approvedBy: 'quality manager' });
  });

  it('lets the timer win the race when no event comes', async () => {
    const started = Date.now();
    const status = await run('Race', { timeoutMs: 300 });
    expect(status.output).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('buffers events raised before the orchestrator waits, and delivers them in order', async () => {
    const id = await client.startNew('WaitTwice', { instanceId: `early-${Date.now()}` });
    // Both raised at once: the second arrives while nothing waits for it yet.
    await client.raiseEvent(id, 'E', 1);
    await client.raiseEvent(id, 'E', 2);
    const status = await waitForStatus(client, id, finished);
    expect(status.output).toEqual([1, 2]);
  });

  it('retries a failing activity with backoff until it succeeds', async () => {
    const started = Date.now();
    const status = await run('Retry', { key: `ok-${Date.now()}`, failures: 2, attempts: 5 });
    expect(status.output).toEqual({ succeededOnAttempt: 3 });
    // 200 ms then 400 ms of backoff (coefficient 2) before the third attempt.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('gives up after the last attempt and lets the orchestrator catch the activity’s error', async () => {
    const status = await run('Retry', { key: `never-${Date.now()}`, failures: 99, attempts: 3 });
    expect((status.output as { gaveUp: string }).gaveUp).toMatch(/^Activity function 'Flaky' failed: {2}attempt 3 failed \n /);
  });

  it('runs sub-orchestrations: a result comes back, a failure is catchable', async () => {
    const status = await run('Parent', undefined, `parent-${Date.now()}`);
    expect(status.output).toEqual({
      child: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'],
      failure: expect.stringContaining("Orchestrator function 'Boom' failed: child exploded"),
    });
    const child = await client.getStatus(`${status.instanceId}-child`);
    expect(child.runtimeStatus).toBe('Completed');
  });

  it('retries a failing sub-orchestration as a new child each attempt', async () => {
    const status = await run('RetryChild', { key: `child-${Date.now()}`, failures: 2 });
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(3);
  });

  it('loops with continueAsNew and stops at its bound, with fresh history each generation', async () => {
    const id = await client.startNew('Loop', { input: 0 });
    const status = await waitForStatus(client, id, finished);
    expect(status.output).toBe('done at 3');
    expect(status.customStatus).toEqual({ n: 3 });
    const history = await (await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`)).json();
    expect(history.input).toBe(3);
    expect(history.historyEvents.filter((event: { EventType: string }) => event.EventType === 'ExecutionStarted')).toHaveLength(1);
  });

  it('shows custom status while running and after completion', async () => {
    const id = await client.startNew('Steps');
    const running = await waitForStatus(client, id, (status) => (status.customStatus as { step?: string } | null)?.step === 'waiting for go');
    expect(running.runtimeStatus).toBe('Running');
    await client.raiseEvent(id, 'go', { by: 'test' });
    const done = await waitForStatus(client, id, finished);
    expect(done.customStatus).toEqual({ step: 'done', go: { by: 'test' } });
  });

  it('keeps currentUtcDateTime and newGuid the same on every replay', async () => {
    const status = await run('Deterministic');
    const output = status.output as { guid: string; second: string; time: string; echoed: { guid: string; second: string; time: string } };
    // `echoed` was captured on the first episode; the rest was recomputed on the last replay.
    expect(output.echoed).toEqual({ guid: output.guid, second: output.second, time: output.time });
    expect(output.guid).not.toBe(output.second);
    expect(output.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('errors as in Azure', () => {
  it('fails an orchestrator that throws, with the error in its output and the custom status it set', async () => {
    const status = await run('Fails');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe("Orchestrator function 'Fails' failed: gave up after: Activity function 'Fail' failed:  nope");
    expect(status.customStatus).toBe('caught');
  });

  it('fails an orchestrator that calls an activity that does not exist', async () => {
    const status = await run('UsesMissing');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe("Orchestrator function 'UsesMissing' failed: The function 'NoSuchActivity' doesn't exist, is disabled, or is not an activity function.");
  });

  it('detects an orchestrator that asks for different work on replay, and fails it instead of corrupting it', async () => {
    const status = await run('Nondeterministic');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(/Non-deterministic workflow detected: task 0 was activity 'Hello' in the history, but the orchestrator now asks for activity 'Double'/);
  });

  it('refuses to start an unknown orchestrator, or a second instance under a running id', async () => {
    await expect(client.startNew('NoSuchOrchestrator')).rejects.toThrow();
    const id = `dup-${Date.now()}`;
    await client.startNew('Steps', { instanceId: id });
    await expect(client.startNew('Steps', { instanceId: id })).rejects.toThrow();
    await client.terminate(id, 'cleanup');
  });

  it('starts a new execution under the id of a finished instance', async () => {
    const id = `again-${Date.now()}`;
    await run('Sequence', undefined, id);
    await client.startNew('FanOut', { instanceId: id, input: 3 });
    const status = await waitForStatus(client, id, (s) => s.name === 'FanOut' && finished(s));
    expect(status.output).toBe(12);
  });
});

describe('instance management through the HTTP API', () => {
  it('terminates a running instance; its output is the reason and later events are ignored', async () => {
    const id = await client.startNew('Steps');
    await waitForStatus(client, id, waitingOn);
    await client.terminate(id, 'customer cancelled');
    const status = await waitForStatus(client, id, finished);
    expect(status.runtimeStatus).toBe('Terminated');
    expect(status.output).toBe('customer cancelled');
    // 410 Gone for a finished instance; the client resolves quietly, and nothing changes.
    await client.raiseEvent(id, 'go', 1);
    expect((await client.getStatus(id)).runtimeStatus).toBe('Terminated');
  });

  it('leaves a terminated parent terminated when its sub-orchestration completes later', async () => {
    const id = `orphaning-${Date.now()}`;
    await client.startNew('ParentOfSteps', { instanceId: id });
    await waitForStatus(client, `${id}-child`, waitingOn);
    await client.terminate(id, 'parent cancelled');
    await client.raiseEvent(`${id}-child`, 'go', 'late');
    expect((await waitForStatus(client, `${id}-child`, finished)).output).toBe('late');
    // The child's result reached the parent's inbox as the child completed; wait until the parent has taken it.
    await waitFor(() => inboxOf(id).length === 0 || undefined, 10_000, "the parent's inbox to empty");
    const parent = await client.getStatus(id);
    expect(parent.runtimeStatus).toBe('Terminated');
    expect(parent.output).toBe('parent cancelled');
  });

  it('suspends and resumes: an event raised while suspended is applied only after resume', async () => {
    const id = await client.startNew('Steps');
    await waitForStatus(client, id, waitingOn);
    await client.suspend(id, 'audit');
    expect((await client.getStatus(id)).runtimeStatus).toBe('Suspended');
    await expect(client.suspend(id, 'again')).rejects.toThrow();
    await client.raiseEvent(id, 'go', 'while suspended');
    // Held in the inbox, not applied.
    expect(inboxOf(id)).toContain(EventType.EventRaised);
    expect((await client.getStatus(id)).runtimeStatus).toBe('Suspended');
    await client.resume(id, 'audit done');
    const status = await waitForStatus(client, id, finished);
    expect(status.output).toBe('while suspended');
  });

  it('restarts an instance with the same input under a new id', async () => {
    const first = await run('FanOut', 4);
    const response = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/${first.instanceId}/restart`, { method: 'POST' });
    expect(response.status).toBe(202);
    const { id } = await response.json();
    expect(id).not.toBe(first.instanceId);
    expect((await waitForStatus(client, id, finished)).output).toBe(20);
  });

  it('purges one instance, then by filter only the matching ones', async () => {
    const done = await run('Sequence');
    expect(await client.purgeInstanceHistory(done.instanceId)).toMatchObject({ instancesDeleted: 1 });
    await expect(client.getStatus(done.instanceId)).rejects.toThrow();

    const from = new Date(Date.now() - 1000);
    const completed = await run('FanOut', 1);
    const waiting = await client.startNew('Steps');
    const result = await client.purgeInstanceHistoryBy({ createdTimeFrom: from, runtimeStatus: ['Completed' as df.OrchestrationRuntimeStatus] });
    expect(result.instancesDeleted).toBeGreaterThanOrEqual(1);
    await expect(client.getStatus(completed.instanceId)).rejects.toThrow();
    expect((await client.getStatus(waiting)).runtimeStatus).toMatch(/Pending|Running/);
    await client.terminate(waiting, 'cleanup');
  });

  it('lists and filters instances by status and creation time, across pages', async () => {
    const from = new Date();
    const ids = await Promise.all(Array.from({ length: 3 }, () => client.startNew('Steps')));
    for (const id of ids) await waitForStatus(client, id, waitingOn);
    const running = await client.getStatusBy({ createdTimeFrom: from, runtimeStatus: ['Running' as df.OrchestrationRuntimeStatus] });
    expect(running.map((status) => status.instanceId).sort()).toEqual([...ids].sort());
    expect(await client.getStatusBy({ createdTimeFrom: new Date(Date.now() + 60_000) })).toEqual([]);
    // Paging: two per page, followed through the continuation header.
    const first = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/?top=2&runtimeStatus=Running&createdTimeFrom=${from.toISOString()}`);
    const token = first.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const second = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/?top=2&runtimeStatus=Running&createdTimeFrom=${from.toISOString()}`, {
      headers: { 'x-ms-continuation-token': token! },
    });
    const paged = [...(await first.json()), ...(await second.json())].map((status: { instanceId: string }) => status.instanceId);
    expect(paged.sort()).toEqual([...ids].sort());
    for (const id of ids) await client.terminate(id, 'cleanup');
  });

  it('answers the HTTP API’s errors with its status codes', async () => {
    const base = `${host.baseUrl}/runtime/webhooks/durabletask`;
    expect((await fetch(`${base}/instances/nobody`)).status).toBe(404);
    expect((await fetch(`${base}/instances/nobody/raiseEvent/E`, { method: 'POST', body: '1' })).status).toBe(404);
    expect((await fetch(`${base}/orchestrators/Sequence`, { method: 'POST', body: '{not json' })).status).toBe(400);
    expect((await fetch(`${base}/orchestrators/Sequence/bad%23id`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${base}/instances/?runtimeStatus=Sleeping`)).status).toBe(400);
    expect((await fetch(`${base}/instances/?createdTimeFrom=yesterday`)).status).toBe(400);
    expect((await fetch(`${base}/instances/`, { method: 'DELETE' })).status).toBe(400);
    const id = await client.startNew('Steps');
    expect((await fetch(`${base}/instances/${id}/raiseEvent/go`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' })).status).toBe(400);
    expect((await fetch(`${base}/instances/${id}/rewind`, { method: 'POST' })).status).toBe(501);
    await client.terminate(id, 'cleanup');
  });
});

describe('HTTP starters and check-status responses', () => {
  it('answers 202 with working management URLs; polling shows 202 then 200', async () => {
    const response = await fetch(`${host.baseUrl}/api/orchestrators/Steps`, { method: 'POST' });
    expect(response.status).toBe(202);
    expect(response.headers.get('retry-after')).toBe('10');
    const body = await response.json();
    expect(response.headers.get('location')).toBe(body.statusQueryGetUri);
    expect(Object.keys(body).sort()).toEqual([
      'id',
      'purgeHistoryDeleteUri',
      'restartPostUri',
      'resumePostUri',
      'rewindPostUri',
      'sendEventPostUri',
      'statusQueryGetUri',
      'suspendPostUri',
      'terminatePostUri',
    ]);
    expect(new URL(body.statusQueryGetUri).origin).toBe(host.baseUrl);

    await waitForStatus(client, body.id, waitingOn);
    const polling = await fetch(body.statusQueryGetUri);
    expect(polling.status).toBe(202);
    expect(polling.headers.get('retry-after')).toBe('5');
    const raised = await fetch(body.sendEventPostUri.replace('{eventName}', 'go'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"via URL"' });
    expect(raised.status).toBe(202);
    await waitForStatus(client, body.id, finished);
    const done = await fetch(body.statusQueryGetUri);
    expect(done.status).toBe(200);
    expect((await done.json()).output).toBe('via URL');
  });

  it('waitForCompletionOrCreateCheckStatusResponse: 200 with the output when fast, 202 on timeout, 500 when failed', async () => {
    const fast = await fetch(`${host.baseUrl}/api/orchestrators/FanOut/wait`, { method: 'POST', body: '2' });
    expect(fast.status).toBe(200);
    expect(await fast.json()).toBe(6);
    const slow = await fetch(`${host.baseUrl}/api/orchestrators/Steps/wait?timeoutMs=300`, { method: 'POST' });
    expect(slow.status).toBe(202);
    await client.terminate((await slow.json()).id, 'cleanup');
    const failed = await fetch(`${host.baseUrl}/api/orchestrators/UsesMissing/wait`, { method: 'POST' });
    expect(failed.status).toBe(500);
    expect((await failed.json()).runtimeStatus).toBe('Failed');
  });
});

describe('entities', () => {
  it('serves calls and signals from an orchestration, one operation at a time', async () => {
    const key = `order-${Date.now()}`;
    const status = await run('CounterUser', key);
    expect(status.output).toBe(7);
    const state = await client.readEntityState<number>(new (await import('durable-functions')).EntityId('Counter', key));
    expect(state).toEqual({ entityExists: true, entityState: 7 });
  });

  it('applies 50 concurrent signals without losing one', async () => {
    const { EntityId } = await import('durable-functions');
    const entity = new EntityId('Counter', `busy-${Date.now()}`);
    await Promise.all(Array.from({ length: 50 }, () => client.signalEntity(entity, 'add', 1)));
    const deadline = Date.now() + 10_000;
    let state = await client.readEntityState<number>(entity);
    while (state.entityState !== 50 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      state = await client.readEntityState<number>(entity);
    }
    expect(state.entityState).toBe(50);
    expect(await client.readEntityState(new EntityId('Counter', 'never-touched'))).toEqual({ entityExists: false });
  });
});

describe('operator view', () => {
  it('GET /admin/durable counts instances by status and reports engine figures', async () => {
    const body = await (await fetch(`${host.baseUrl}/admin/durable?runtimeStatus=Failed`)).json();
    expect(body.taskHub).toBe('FixtureHub');
    expect(body.counts.Completed).toBeGreaterThan(0);
    expect(body.counts.Failed).toBeGreaterThan(0);
    expect(body.instances.every((instance: { runtimeStatus: string }) => instance.runtimeStatus === 'Failed')).toBe(true);
    expect(body.engine.episodes).toBeGreaterThan(0);
    expect(body.history.events).toBeGreaterThan(0);
  });
});
