import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { expertDocuments, expertProfiles, verificationRequests } from '../../../../../shared/domain/experts/containers';
import { type DocumentFiles, ExpertDocumentService } from '../../../../../shared/domain/experts/document-service';
import { ExpertProfileService } from '../../../../../shared/domain/experts/profile-service';
import type { ExpertDocument, ExpertProfile } from '../../../../../shared/domain/experts/records';
import { newVerificationRequest, type VerificationRequest } from '../../../../../shared/domain/experts/verification';
import { VerificationDesk } from '../../../../../shared/domain/experts/verification-desk';
import { VerificationService } from '../../../../../shared/domain/experts/verification-service';
import { VerificationSupervisor } from '../../../../../shared/domain/experts/verification-supervisor';
import type { WorkflowRuntime } from '../../../../../shared/domain/workflows/supervision';
import { AppError } from '../../../../../shared/errors';
import { expertProfile } from '../../../../helpers/expert-profiles';

// The desk over the real services and supervisor, on the embedded store; storage holds the files
// named in `stored`, and the workflow runtime records what it was told.
const now = new Date('2026-11-25T10:30:00Z');
const deadlines = { checksMs: 15 * 60_000, outcomeMs: 5 * 60_000 };
let profiles: Container<ExpertProfile>;
let documents: Container<ExpertDocument>;
let requests: Container<VerificationRequest>;
let stored: Set<string>;
let started: string[];
let audited: { action: string; actorId: string; targetId: string; details: Record<string, string> }[];
let desk: VerificationDesk;

const files = {
  createDownloadUrl: async (name: string, options?: { fileName?: string }) => {
    if (!stored.has(name)) throw new AppError('not_found', 'No such file.');
    return { url: `https://files/${name}?read`, method: 'GET', expiresAt: now.toISOString(), contentType: 'application/pdf', fileName: options?.fileName ?? name };
  },
} as unknown as DocumentFiles;

const runtime: WorkflowRuntime = {
  state: async () => null,
  start: async (_name, instanceId) => void started.push(instanceId),
  terminate: async () => undefined,
  raise: async () => undefined,
};

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  profiles = await store.container<ExpertProfile>(expertProfiles);
  documents = await store.container<ExpertDocument>(expertDocuments);
  requests = await store.container<VerificationRequest>(verificationRequests);
  stored = new Set();
  started = [];
  audited = [];
  const clock = () => now;
  const timings = { reminderAfterMs: 3_600_000, escalateAfterMs: 7_200_000 };
  const workflow = { start: async () => undefined, exists: async () => true, wake: async () => undefined, stop: async () => undefined };
  const supervisor = new VerificationSupervisor({ requests, steps: { park: async () => undefined }, timings, deadlines });
  desk = new VerificationDesk({
    verification: new VerificationService({ profiles, requests, workflow, timings, deadlines, audit: async () => undefined, now: clock, warn: () => undefined }),
    profiles: new ExpertProfileService({ profiles, documents, countView: async () => undefined, now: clock }),
    documents: new ExpertDocumentService({ documents, profiles, files: () => files, now: clock }),
    retry: (requestId, at) => supervisor.retry(requestId, runtime, at),
    audit: async (event) => void audited.push(event),
    now: clock,
  });
});

const document = (id: string, status: ExpertDocument['status']): ExpertDocument => ({
  id,
  expertId: 'e1',
  fileName: `${id}.pdf`,
  contentType: 'application/pdf',
  maxBytes: 10_000_000,
  blobName: `experts/e1/${id}`,
  status,
  createdAt: now.toISOString(),
});

const check = (documentId: string | null) => ({ certificationEntryId: `c-${documentId}`, documentId, overall: 'passed' as const, results: [] });

describe('reviewing a verification request', () => {
  it('opens the request with the profile and a link per document its checks read, a vanished file listed as missing', async () => {
    await profiles.create(expertProfile('e1'));
    for (const [id, status] of [
      ['doc-a', 'uploaded'],
      ['doc-b', 'uploaded'],
      ['doc-c', 'awaiting_upload'],
    ] as const)
      await documents.create(document(id, status));
    stored.add('experts/e1/doc-a');
    await requests.create({ ...newVerificationRequest('r1', 'e1', now), status: 'awaiting_review', checks: [check('doc-a'), check('doc-b'), check('doc-c'), check(null)] });
    const review = await desk.review('r1');
    expect(review.request).toMatchObject({ id: 'r1', expertId: 'e1' });
    expect(review.profile).toMatchObject({ id: 'e1', name: 'María García-López' });
    expect(review.documents).toEqual([
      { id: 'doc-a', fileName: 'doc-a.pdf', status: 'uploaded', url: 'https://files/experts/e1/doc-a?read', expiresAt: now.toISOString() },
      { id: 'doc-b', fileName: 'doc-b.pdf', status: 'missing' },
    ]);
  });

  it('opens a request whose expert deleted the profile (null), and is a 404 for an unknown request', async () => {
    await requests.create({ ...newVerificationRequest('r2', 'e2', now), status: 'awaiting_review' });
    expect(await desk.review('r2')).toMatchObject({ profile: null, documents: [] });
    await expect(desk.review('nope')).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe("an admin's retry", () => {
  it('runs the workflow again with a fresh count of restarts and audits what it was told', async () => {
    await requests.create({
      ...newVerificationRequest('r3', 'e3', new Date('2026-11-25T10:00:00Z'), deadlines.checksMs),
      supervision: { recoveries: 3, problem: { step: 'outcome', reason: 'gave up', at: now.toISOString() } },
    });
    const recovery = await desk.retry('r3', 'admin-1');
    expect(recovery).toMatchObject({ subjectId: 'r3', action: 'restarted' });
    expect(started).toHaveLength(1);
    expect((await requests.read('e3', 'r3'))!.supervision).not.toHaveProperty('problem');
    expect(audited).toEqual([{ action: 'verification.retried', actorId: 'admin-1', targetId: 'r3', details: { action: 'restarted' } }]);
  });

  it('is refused for a settled request (409) and an unknown one (404), and audits nothing', async () => {
    await requests.create({ ...newVerificationRequest('r4', 'e4', now), status: 'withdrawn' });
    await expect(desk.retry('r4', 'admin-1')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(desk.retry('nope', 'admin-1')).rejects.toMatchObject({ kind: 'not_found' });
    expect(audited).toEqual([]);
  });
});
