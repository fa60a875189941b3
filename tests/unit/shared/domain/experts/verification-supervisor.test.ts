import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { verificationRequests } from '../../../../../shared/domain/experts/containers';
import { newVerificationRequest, withStep, type VerificationRequest } from '../../../../../shared/domain/experts/verification';
import { VerificationSupervisor } from '../../../../../shared/domain/experts/verification-supervisor';
import { MAX_RECOVERIES, Watchdog, type InstanceState, type WorkflowRuntime } from '../../../../../shared/domain/workflows/supervision';

const submitted = new Date('2026-11-25T10:00:00Z');
const later = new Date('2026-11-25T10:30:00Z'); // past the 15-minute checks deadline
const deadlines = { checksMs: 15 * 60_000, outcomeMs: 5 * 60_000 };

let requests: Container<VerificationRequest>;
let parked: { requestId: string; step: string; reason: string }[];
let instances: Map<string, InstanceState>;
let calls: string[];
let supervisor: VerificationSupervisor;

const runtime: WorkflowRuntime = {
  state: async (id) => instances.get(id) ?? null,
  start: async (_name, id, input) => {
    calls.push(`start ${id} checked=${(input as { checked: boolean }).checked}`);
    instances.set(id, { status: 'Running' });
  },
  terminate: async (id) => {
    calls.push(`terminate ${id}`);
    instances.set(id, { status: 'Terminated' });
  },
  raise: async (id, event) => void calls.push(`raise ${id} ${event}`),
};

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  requests = await store.container<VerificationRequest>(verificationRequests);
  parked = [];
  instances = new Map();
  calls = [];
  supervisor = new VerificationSupervisor({
    requests,
    // The real park is tested with the steps; here it records and moves a checking request on, as it does.
    steps: {
      park: async ({ expertId, requestId, step, reason }) => {
        parked.push({ requestId, step, reason });
        const request = (await requests.read(expertId, requestId))!;
        if (request.status === 'checking')
          await requests.patch(expertId, requestId, [
            { op: 'set', path: 'status', value: 'awaiting_review' },
            { op: 'remove', path: 'supervision.dueBy' },
          ]);
      },
    },
    timings: { reminderAfterMs: 3_600_000, escalateAfterMs: 7_200_000 },
    deadlines,
  });
});

async function request(id: string, changes: Partial<VerificationRequest> = {}) {
  return requests.create({ ...newVerificationRequest(id, `e-${id}`, submitted, deadlines.checksMs), ...changes });
}

const decided = (at = submitted): Partial<VerificationRequest> => ({
  status: 'awaiting_review',
  decision: { outcome: 'approved', by: 'admin-1', at: at.toISOString() },
  supervision: { dueBy: new Date(at.getTime() + deadlines.outcomeMs).toISOString(), recoveries: 0 },
});

describe('the verification supervisor', () => {
  it('leaves requests inside their deadline alone', async () => {
    await request('r1');
    expect(await supervisor.recoverOverdue(runtime, new Date('2026-11-25T10:10:00Z'))).toEqual([]);
  });

  it('parks checks whose workflow failed, with the reason, and starts a workflow that waits for the review', async () => {
    await request('r1');
    instances.set('verification-r1', { status: 'Failed', output: 'Activity verificationRunChecks failed: Invalid PDF structure\n   at stack' });
    const [recovery] = await supervisor.recoverOverdue(runtime, later);
    expect(recovery).toEqual({
      workflow: 'expertVerification',
      subjectId: 'r1',
      action: 'parked',
      reason: 'the automated checks stopped: its workflow failed: Activity verificationRunChecks failed: Invalid PDF structure',
    });
    expect(parked).toEqual([{ requestId: 'r1', step: 'automated_checks', reason: recovery!.reason }]);
    expect(calls).toEqual(['start verification-r1 checked=true']);
    expect(await supervisor.recoverOverdue(runtime, later)).toEqual([]); // nothing due any more
  });

  it('ends checks that overran while still running, then parks them', async () => {
    await request('r1');
    instances.set('verification-r1', { status: 'Running' });
    const [recovery] = await supervisor.recoverOverdue(runtime, later);
    expect(recovery).toMatchObject({ action: 'parked', reason: 'the automated checks did not finish in time' });
    expect(calls).toEqual(['terminate verification-r1', 'start verification-r1 checked=true']);
  });

  it('runs the checks of a request whose workflow never started, once; then parks it', async () => {
    await request('r1');
    expect((await supervisor.recoverOverdue(runtime, later))[0]).toMatchObject({ action: 'restarted', reason: 'its workflow never started' });
    expect(calls).toEqual(['start verification-r1 checked=false']);
    expect((await requests.read('e-r1', 'r1'))!.supervision).toEqual({ recoveries: 1, dueBy: '2026-11-25T10:45:00.000Z' });
    instances.delete('verification-r1'); // lost again
    expect((await supervisor.recoverOverdue(runtime, new Date('2026-11-25T11:00:00Z')))[0]).toMatchObject({ action: 'parked' });
  });

  it('wakes a live workflow whose decision was not applied in time (a lost wake)', async () => {
    await request('r1', decided());
    instances.set('verification-r1', { status: 'Running' });
    expect((await supervisor.recoverOverdue(runtime, later))[0]).toMatchObject({ action: 'woken' });
    expect(calls).toEqual(['raise verification-r1 ReviewDecision']);
    expect((await requests.read('e-r1', 'r1'))!.supervision?.dueBy).toBe('2026-11-25T10:35:00.000Z');
  });

  it('leaves a restarted workflow that waits for the review alone: its deadline is cleared, not renewed without end', async () => {
    await request('r1', { status: 'awaiting_review', supervision: { dueBy: submitted.toISOString(), recoveries: 1 } });
    instances.set('verification-r1', { status: 'Running' });
    expect((await supervisor.recoverOverdue(runtime, later))[0]).toMatchObject({ action: 'healthy', reason: 'its workflow waits for the review' });
    expect(calls).toEqual([]);
    expect((await requests.read('e-r1', 'r1'))!.supervision).toEqual({ recoveries: 1 });
    expect(await supervisor.recoverOverdue(runtime, new Date('2026-11-26T10:00:00Z'))).toEqual([]);
  });

  it('restarts a dead workflow that has a decision to apply, then gives up after the limit and leaves it to admins', async () => {
    await request('r1', decided());
    let now = later;
    for (let attempt = 1; attempt <= MAX_RECOVERIES; attempt++) {
      instances.set('verification-r1', { status: 'Failed', output: 'store unavailable' });
      expect((await supervisor.recoverOverdue(runtime, now))[0]).toMatchObject({ action: 'restarted', reason: 'its workflow failed: store unavailable' });
      expect((await requests.read('e-r1', 'r1'))!.supervision?.recoveries).toBe(attempt);
      now = new Date(now.getTime() + 10 * 60_000);
    }
    instances.set('verification-r1', { status: 'Failed', output: 'store unavailable' });
    const [gaveUp] = await supervisor.recoverOverdue(runtime, now);
    expect(gaveUp).toMatchObject({ action: 'gave_up', reason: `the outcome was not applied after ${MAX_RECOVERIES} automatic restarts; its workflow failed: store unavailable` });
    expect(parked.at(-1)).toMatchObject({ step: 'outcome' });
    expect((await requests.read('e-r1', 'r1'))!.supervision).not.toHaveProperty('dueBy');
    // An admin's retry starts over with a fresh count.
    const retried = await supervisor.retry('r1', runtime, now);
    expect(retried).toMatchObject({ action: 'restarted' });
    expect((await requests.read('e-r1', 'r1'))!.supervision).toMatchObject({ recoveries: 1 });
    expect((await requests.read('e-r1', 'r1'))!.supervision).not.toHaveProperty('problem');
  });

  it('clears the deadline of a request found settled, and refuses to retry it', async () => {
    const settled = withStep({ ...newVerificationRequest('r1', 'e-r1', submitted), status: 'approved' }, 'outcome_sent', 'done', submitted);
    await requests.create({ ...settled, supervision: { recoveries: 0, dueBy: submitted.toISOString() } });
    expect((await supervisor.recoverOverdue(runtime, later))[0]).toMatchObject({ action: 'healthy' });
    expect((await requests.read('e-r1', 'r1'))!.supervision).toEqual({ recoveries: 0 });
    await expect(supervisor.retry('r1', runtime, later)).rejects.toMatchObject({ kind: 'conflict' });
    await expect(supervisor.retry('nope', runtime, later)).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('the watchdog', () => {
  it('reports each recovery, and goes on with the next workflow when one fails', async () => {
    await request('r1');
    const reported: string[] = [];
    const errors: string[] = [];
    const broken = { name: 'broken', recoverOverdue: async () => Promise.reject(new Error('store down')) };
    const watchdog = new Watchdog(
      [broken, supervisor],
      async (recovery) => void reported.push(`${recovery.subjectId}:${recovery.action}`),
      (name, error) => errors.push(`${name}: ${(error as Error).message}`),
    );
    expect(await watchdog.run(runtime, later)).toHaveLength(1);
    expect(reported).toEqual(['r1:restarted']);
    expect(errors).toEqual(['broken: store down']);
  });
});
