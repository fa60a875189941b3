import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { expertProfiles, verificationRequests } from '../../../../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../../../../shared/domain/experts/records';
import type { VerificationRequest } from '../../../../../shared/domain/experts/verification';
import { VerificationService, type VerificationWorkflow } from '../../../../../shared/domain/experts/verification-service';
import { expertProfile } from '../../../../helpers/expert-profiles';

const certification = { id: 'c1', certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA', number: 'PCQI-2024-118733' };
let profiles: Container<ExpertProfile>;
let requests: Container<VerificationRequest>;
let started: string[];
let woken: string[];
let stopped: string[];
let wake: (requestId: string) => Promise<void>;
let exists: (requestId: string) => Promise<boolean>;
let service: VerificationService;
let audited: string[];

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  profiles = await store.container<ExpertProfile>(expertProfiles);
  requests = await store.container<VerificationRequest>(verificationRequests);
  started = [];
  woken = [];
  stopped = [];
  wake = async () => undefined;
  exists = async (requestId) => started.includes(requestId);
  const workflow: VerificationWorkflow = {
    start: async (request) => void started.push(request.id),
    exists: (requestId) => exists(requestId),
    wake: async (requestId, outcome) => {
      await wake(requestId);
      woken.push(`${requestId}:${outcome}`);
    },
    stop: async (requestId) => void stopped.push(requestId),
  };
  audited = [];
  service = new VerificationService({
    profiles,
    requests,
    workflow,
    timings: { reminderAfterMs: 1000, escalateAfterMs: 2000 },
    deadlines: { checksMs: 60_000, outcomeMs: 30_000 },
    audit: async (event) => void audited.push(event.action),
    now: () => new Date('2026-11-25T10:00:00Z'),
    warn: () => undefined,
  });
  await profiles.create(expertProfile('e1', { certifications: [certification] }));
});

describe('verification rules', () => {
  it('submits once: the profile is pending and the workflow started; a second submission is a conflict', async () => {
    const request = await service.submit('e1');
    expect(started).toEqual([request.id]);
    expect((await profiles.read('e1', 'e1'))!.verification).toEqual({ status: 'pending', requestId: request.id });
    await expect(service.submit('e1')).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('refuses a second submission when it cannot tell whether the first one started', async () => {
    await service.submit('e1');
    exists = async () => {
      throw new Error('task hub unreachable');
    };
    await expect(service.submit('e1')).rejects.toThrow('task hub unreachable');
    expect(started).toHaveLength(1);
  });

  it('needs something to verify', async () => {
    await profiles.replace(expertProfile('e1', { certifications: [] }));
    await expect(service.submit('e1')).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(service.submit('nobody')).rejects.toMatchObject({ kind: 'unprocessable' });
  });

  it('records one decision on a request waiting for review, then wakes its workflow', async () => {
    const request = await service.submit('e1');
    await expect(service.decide(request.id, 'approved', 'admin-1')).rejects.toMatchObject({ kind: 'conflict' }); // still checking
    await requests.patch('e1', request.id, [{ op: 'set', path: 'status', value: 'awaiting_review' }]);
    const decided = await service.decide(request.id, 'rejected', 'admin-1', 'Number not in the registry');
    expect(decided.decision).toMatchObject({ outcome: 'rejected', reason: 'Number not in the registry', by: 'admin-1' });
    expect(woken).toEqual([`${request.id}:rejected`]);
    await expect(service.decide(request.id, 'approved', 'admin-2')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(service.decide('no-such-request', 'approved', 'admin-1')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('gives every request a deadline for its checks, and its decision one for the outcome', async () => {
    const request = await service.submit('e1');
    expect(request.supervision).toEqual({ dueBy: '2026-11-25T10:01:00.000Z', recoveries: 0 });
    await requests.patch('e1', request.id, [
      { op: 'set', path: 'status', value: 'awaiting_review' },
      { op: 'remove', path: 'supervision.dueBy' },
    ]);
    const decided = await service.decide(request.id, 'approved', 'admin-1');
    expect(decided.supervision).toEqual({ dueBy: '2026-11-25T10:00:30.000Z', recoveries: 0 });
  });

  it('records a decision even when its workflow cannot be woken (the watchdog applies it by its deadline)', async () => {
    const request = await service.submit('e1');
    await requests.patch('e1', request.id, [{ op: 'set', path: 'status', value: 'awaiting_review' }]);
    wake = async () => {
      throw new Error('task hub unreachable');
    };
    await expect(service.decide(request.id, 'approved', 'admin-1')).resolves.toMatchObject({ decision: { outcome: 'approved' } });
    expect((await requests.read('e1', request.id))!.supervision?.dueBy).toBe('2026-11-25T10:00:30.000Z');
  });

  it('lets the expert withdraw an undecided request: the badge state is restored, the workflow stopped, and a new submission goes through', async () => {
    await profiles.patch('e1', 'e1', [{ op: 'set', path: 'verification', value: { status: 'rejected', requestId: 'old', reason: 'blurry scan' } }]);
    const request = await service.submit('e1');
    const withdrawn = await service.withdraw('e1');
    expect(withdrawn).toMatchObject({ id: request.id, status: 'withdrawn', withdrawnAt: '2026-11-25T10:00:00.000Z', supervision: { recoveries: 0 } });
    expect(withdrawn.supervision).not.toHaveProperty('dueBy');
    expect((await profiles.read('e1', 'e1'))!.verification).toEqual({ status: 'rejected', requestId: 'old', reason: 'blurry scan' });
    expect(stopped).toEqual([request.id]);
    expect(audited).toContain('verification.withdrawn');
    await expect(service.withdraw('e1')).rejects.toMatchObject({ kind: 'conflict' });
    const again = await service.submit('e1');
    expect(again.id).not.toBe(request.id);
  });

  it('refuses to withdraw a decided request', async () => {
    const request = await service.submit('e1');
    await requests.patch('e1', request.id, [{ op: 'set', path: 'status', value: 'awaiting_review' }]);
    await service.decide(request.id, 'approved', 'admin-1');
    await expect(service.withdraw('e1')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('already decided') });
    expect(stopped).toEqual([]);
  });
});
