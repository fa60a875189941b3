import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { LocalTextExtractor } from '../../../../../shared/adapters/text-extraction/local';
import { expertDocuments, expertProfiles, verificationRequests } from '../../../../../shared/domain/experts/containers';
import type { ExpertDocument, ExpertProfile } from '../../../../../shared/domain/experts/records';
import { newVerificationRequest, type VerificationRequest } from '../../../../../shared/domain/experts/verification';
import { VerificationSteps } from '../../../../../shared/domain/experts/verification-steps';
import { AppError } from '../../../../../shared/errors';
import { expertProfile } from '../../../../helpers/expert-profiles';
import { minimalPdf, PDF_MAGIC_ONLY } from '../../../../helpers/sample-files';

const expertId = 'u-maria';
const ref = { expertId, requestId: 'req-1' };
const now = new Date('2026-11-25T10:00:00Z');

let steps: VerificationSteps;
let sent: { to: string; subject: string }[];
let causes: string[];
let profiles: Container<ExpertProfile>;
let requests: Container<VerificationRequest>;
let documents: Container<ExpertDocument>;
let files: Map<string, Buffer>;
let download: (name: string) => Promise<Buffer>;

/** A pending profile with one PCQI certification linked to document d1. */
function profile(overrides: Partial<ExpertProfile> = {}): ExpertProfile {
  return expertProfile(expertId, {
    certifications: [{ id: 'c1', certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA', number: 'PCQI-2024-118733', expiresOn: '2027-03-31', documentId: 'd1' }],
    verification: { status: 'pending', requestId: 'req-1' },
    ...overrides,
  });
}

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  profiles = await store.container<ExpertProfile>(expertProfiles);
  documents = await store.container<ExpertDocument>(expertDocuments);
  requests = await store.container<VerificationRequest>(verificationRequests);
  files = new Map([['experts/u-maria/d1.pdf', minimalPdf(['FSPCA Preventive Controls for Human Food', 'Maria Garcia-Lopez', 'Certificate No. PCQI-2024-118733', 'Valid until 2027-03-31'])]]);
  // As BlobStorage.download answers a blob that is not there.
  download = async (name) => files.get(name) ?? Promise.reject(new AppError('not_found', `No file named "${name}".`));
  sent = [];
  causes = [];
  steps = new VerificationSteps({
    profiles,
    documents,
    requests,
    blobs: { download: (name: string) => download(name) },
    extractor: new LocalTextExtractor(),
    notifier: {
      toExpert: async (to, subject, _text, cause) => void (sent.push({ to, subject }), causes.push(cause)),
      toAdmins: async (subject, _text, cause) => void (sent.push({ to: 'admins', subject }), causes.push(cause)),
    },
    now: () => now,
  });
  await profiles.create(profile());
  await documents.create({
    id: 'd1',
    expertId,
    fileName: 'pcqi.pdf',
    contentType: 'application/pdf',
    maxBytes: 1_000_000,
    blobName: 'experts/u-maria/d1.pdf',
    status: 'uploaded',
    createdAt: now.toISOString(),
  });
  await requests.create(newVerificationRequest('req-1', expertId, now));
});

describe('verification steps', () => {
  it('checks each certification’s document and puts the request in the review queue, telling admins', async () => {
    const checks = await steps.runChecks(ref);
    expect(checks).toEqual([expect.objectContaining({ certificationEntryId: 'c1', documentId: 'd1', overall: 'passed' })]);
    const request = (await requests.read(expertId, 'req-1')) as VerificationRequest;
    expect(request.status).toBe('awaiting_review');
    expect(request.steps.map((step) => `${step.name}:${step.state}`)).toEqual(['automated_checks:done', 'admin_review:running', 'outcome_sent:pending']);
    expect(sent).toEqual([{ to: 'admins', subject: 'Verification request waiting: María García-López' }]);
    // Run again (at-least-once delivery): nothing changes, nobody is told twice.
    await steps.runChecks(ref);
    expect(sent).toHaveLength(1);
  });

  it('flags a certification without a document for the reviewer', async () => {
    await profiles.replace(profile({ certifications: [{ ...profile().certifications[0]!, documentId: undefined }] }));
    const [check] = await steps.runChecks(ref);
    expect(check).toMatchObject({ overall: 'needs_review', results: [{ check: 'readable', status: 'needs_review', detail: 'No document is linked to this certification.' }] });
  });

  it('marks a document whose file is gone from storage, and hands the certification to the reviewer', async () => {
    files.clear();
    const [check] = await steps.runChecks(ref);
    expect(check).toMatchObject({
      documentId: 'd1',
      overall: 'needs_review',
      results: [{ check: 'readable', status: 'needs_review', detail: 'The file of the linked document "pcqi.pdf" is missing from storage; ask the expert to upload it again.' }],
    });
    expect((await documents.read(expertId, 'd1'))!.status).toBe('missing');
    expect((await requests.read(expertId, 'req-1'))!.status).toBe('awaiting_review');
  });

  it('fails the certification whose file does not parse, with the reason, and still reaches review', async () => {
    files.set('experts/u-maria/d1.pdf', PDF_MAGIC_ONLY);
    const [check] = await steps.runChecks(ref);
    expect(check).toMatchObject({ overall: 'failed', results: [{ check: 'readable', status: 'failed', detail: 'The document could not be read: The PDF could not be read: Invalid PDF structure.' }] });
    expect((await requests.read(expertId, 'req-1'))!.status).toBe('awaiting_review');
  });

  it('hands the certification to the reviewer when storage fails for another reason', async () => {
    download = async () => Promise.reject(new Error('socket hang up'));
    const [check] = await steps.runChecks(ref);
    expect(check).toMatchObject({ overall: 'needs_review', results: [{ check: 'readable', status: 'needs_review', detail: 'The document could not be read automatically; read it yourself.' }] });
    expect((await documents.read(expertId, 'd1'))!.status).toBe('uploaded');
  });

  it('reminds admins once per kind', async () => {
    await steps.runChecks(ref);
    await steps.remindAdmins({ ...ref, kind: 'reminder' });
    await steps.remindAdmins({ ...ref, kind: 'reminder' });
    await steps.remindAdmins({ ...ref, kind: 'escalation' });
    expect(sent.map((message) => message.subject)).toEqual([
      'Verification request waiting: María García-López',
      'Reminder: a verification request has waited 0 hours',
      'Escalated: a verification request has waited 0 hours',
    ]);
    expect(await requests.read(expertId, 'req-1')).toMatchObject({ remindedAt: now.toISOString(), escalatedAt: now.toISOString() });
  });

  it('applies an approval: the badge, the request closed, the expert told exactly once', async () => {
    await steps.runChecks(ref);
    await requests.patch(expertId, 'req-1', [{ op: 'set', path: 'decision', value: { outcome: 'approved', by: 'admin-1', at: now.toISOString() } }]);
    expect(await steps.applyDecision(ref)).toBe('approved');
    expect(await steps.applyDecision(ref)).toBe('approved');
    expect((await profiles.read(expertId, expertId))!.verification).toEqual({ status: 'verified', requestId: 'req-1', verifiedAt: now.toISOString() });
    expect((await requests.read(expertId, 'req-1'))!.status).toBe('approved');
    expect(sent.filter((message) => message.to === expertId)).toEqual([{ to: expertId, subject: 'You are verified' }]);
  });

  it('names the outcome by request and expert, so a re-run after a lost step mark hands the outbox the same cause', async () => {
    await steps.runChecks(ref);
    await requests.patch(expertId, 'req-1', [{ op: 'set', path: 'decision', value: { outcome: 'approved', by: 'admin-1', at: now.toISOString() } }]);
    await steps.applyDecision(ref);
    // The process died after handing the email over, before the step was marked done.
    const request = (await requests.read(expertId, 'req-1'))!;
    await requests.replace({ ...request, steps: request.steps.map((step) => (step.name === 'outcome_sent' ? { ...step, state: 'pending' as const } : step)) });
    await steps.applyDecision(ref);
    expect(causes).toEqual(['verification:req-1:waiting', 'verification:req-1:outcome:u-maria', 'verification:req-1:outcome:u-maria']);
    // Settled: nothing is due any more.
    expect((await requests.read(expertId, 'req-1'))!.supervision).toEqual({ recoveries: 0 });
  });

  it('applies a rejection with its reason, and leaves the badge off', async () => {
    await steps.runChecks(ref);
    await requests.patch(expertId, 'req-1', [
      { op: 'set', path: 'decision', value: { outcome: 'rejected', reason: 'Certificate number does not match FSPCA records', by: 'admin-1', at: now.toISOString() } },
    ]);
    expect(await steps.applyDecision(ref)).toBe('rejected');
    expect((await profiles.read(expertId, expertId))!.verification).toEqual({ status: 'rejected', requestId: 'req-1', reason: 'Certificate number does not match FSPCA records' });
  });

  it('parks checks that could not run: the request joins the review queue with the problem, and admins are told once per problem', async () => {
    await steps.park({ ...ref, step: 'automated_checks', reason: 'the automated checks failed: Invalid PDF structure' });
    await steps.park({ ...ref, step: 'automated_checks', reason: 'the automated checks failed: Invalid PDF structure' });
    const request = (await requests.read(expertId, 'req-1'))!;
    expect(request.status).toBe('awaiting_review');
    expect(request.steps.map((step) => `${step.name}:${step.state}`)).toEqual(['automated_checks:failed', 'admin_review:running', 'outcome_sent:pending']);
    expect(request.supervision).toEqual({ recoveries: 0, problem: { step: 'automated_checks', reason: 'the automated checks failed: Invalid PDF structure', at: now.toISOString() } });
    expect(new Set(causes)).toEqual(new Set(['verification:req-1:problem:automated_checks:0']));
  });

  it('keeps an outcome that failed due for the watchdog, and leaves a withdrawn request alone', async () => {
    await steps.runChecks(ref);
    await requests.patch(expertId, 'req-1', [{ op: 'set', path: 'supervision.dueBy', value: '2026-11-25T10:05:00.000Z' }]);
    await steps.park({ ...ref, step: 'outcome', reason: 'store unavailable' });
    expect((await requests.read(expertId, 'req-1'))!.supervision).toMatchObject({ dueBy: '2026-11-25T10:05:00.000Z', problem: { step: 'outcome' } });
    await requests.patch(expertId, 'req-1', [{ op: 'set', path: 'status', value: 'withdrawn' }]);
    const before = await requests.read(expertId, 'req-1');
    await steps.park({ ...ref, step: 'outcome', reason: 'again' });
    expect(await requests.read(expertId, 'req-1')).toEqual(before);
    expect(await steps.decision(ref)).toBe('withdrawn');
  });
});
