import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { BlockBlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { expertProfiles } from '../../shared/domain/experts/containers';
import { DEV_ACCOUNT, DEV_KEY } from '../../shared/local-host/azurite';
import { projectRoot, startHost, waitFor, type RunningHost } from '../helpers/host-process';
import { ADMIN, api, IDENTITY_TEST_ENV, login, mailsTo, registerUser, type Api } from '../helpers/identity';
import { abandonClaim } from '../helpers/idempotency';
import { expertProfileBody, newExpertWithProfile as newExpert, uploadDocument as upload, waitForRequest as waitForStatus } from '../helpers/verification';
import { minimalPng, PDF_MAGIC_ONLY } from '../helpers/sample-files';

// An expert's journey through the host, with Azurite for the documents and the Durable engine for the workflow.
let host: RunningHost;
let client: Api;
let adminToken: string;

beforeAll(async () => {
  host = await startHost({ app: projectRoot, env: { ...IDENTITY_TEST_ENV, VERIFICATION_REMINDER_SECONDS: '3', VERIFICATION_ESCALATION_SECONDS: '6', ANALYTICS_FLUSH_SECONDS: '0' } });
  client = api(host);
  adminToken = (await login(client, ADMIN.email, ADMIN.password)).accessToken;
}, 60_000);
afterAll(async () => {
  await host?.stop();
});

// This file's client, for the shared journey steps.
const profileBody = expertProfileBody;
const uploadDocument = (token: string, bytes: Buffer, contentType: string, claimedType = contentType, fileName?: string) => upload(client, token, bytes, contentType, claimedType, fileName);
const newExpertWithProfile = (fileName?: string) => newExpert(client, fileName);
const waitForRequest = (token: string, status: string) => waitForStatus(client, token, status);

describe('the expert journey', () => {
  it('profile, real PDF through the SAS URL, submit, automated checks, admin approval, badge visible publicly', async () => {
    const { expert } = await newExpertWithProfile();
    const expertId = expert.user.id;
    // Not public before verification, even when published.
    expect((await client.call('POST', 'v1/experts/profile/publish', { token: expert.accessToken })).status).toBe(200);
    expect((await client.call('GET', `v1/experts/profile/${expertId}`)).status).toBe(404);

    const submitted = await client.call('POST', 'v1/experts/verification', { token: expert.accessToken });
    expect(submitted.status).toBe(202);
    expect((await client.call('POST', 'v1/experts/verification', { token: expert.accessToken })).status).toBe(409);

    const waiting = await waitForRequest(expert.accessToken, 'awaiting_review');
    expect(waiting.checks).toEqual([expect.objectContaining({ certificationEntryId: 'pcqi', overall: 'passed' })]);
    expect(waiting.steps.map((step: { name: string; state: string }) => `${step.name}:${step.state}`)).toEqual(['automated_checks:done', 'admin_review:running', 'outcome_sent:pending']);

    const queue = await client.call('GET', 'v1/admin/verifications?status=pending', { token: adminToken });
    expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(waiting.id);
    const detail = await client.call('GET', `v1/admin/verifications/${waiting.id}`, { token: adminToken });
    expect(detail.body.profile.name).toBe('María García-López');
    const pdf = await fetch(detail.body.documents[0].url);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    expect((await client.call('POST', `v1/admin/verifications/${waiting.id}/approve`, { token: adminToken, body: {} })).status).toBe(202);
    expect((await client.call('POST', `v1/admin/verifications/${waiting.id}/approve`, { token: adminToken, body: {} })).status).toBe(409);
    await waitForRequest(expert.accessToken, 'approved');

    const publicProfile = await client.call('GET', `v1/experts/profile/${expertId}`);
    expect(publicProfile.status).toBe(200);
    expect(publicProfile.body).toMatchObject({ verified: true, verification: { status: 'verified' } });
    expect(publicProfile.body.certifications[0]).not.toHaveProperty('number');
    expect(publicProfile.body).not.toHaveProperty('whatsapp');
    // Once public, the expert is suggested as people type (the index follows the change feed).
    await waitFor(
      async () => {
        const suggestions = await client.call('GET', 'v1/search/autocomplete?q=garcia');
        return suggestions.body.items.some((item: { kind: string; id: string }) => item.kind === 'expert' && item.id === expertId) || undefined;
      },
      10_000,
      'the expert in autocomplete',
    );
    // The outcome email follows the status change (the step after it).
    await waitFor(() => mailsTo(host, expert.email).find((mail) => mail.subject === 'You are verified'), 10_000, 'the approval email');
    // Views by others and search appearances count in the expert's analytics; the expert's own views do not.
    await client.call('GET', `v1/experts/profile/${expertId}`, { token: expert.accessToken });
    const found = await client.call('GET', 'v1/search/experts?q=Garcia%20PCQI');
    expect(found.body.items.map((item: { id: string }) => item.id)).toContain(expertId);
    const analytics = await client.call('GET', 'v1/experts/analytics', { token: expert.accessToken });
    expect(analytics.body.totals).toMatchObject({ profileViews: 1, searchAppearances: 1 });
    const inbox = await client.call('GET', 'v1/notifications', { token: expert.accessToken });
    expect(inbox.body.items).toEqual([expect.objectContaining({ type: 'verification.outcome', title: 'You are verified', link: '/api/v1/experts/verification' })]);
    expect(mailsTo(host, ADMIN.email).some((mail) => mail.subject.startsWith('Verification request waiting'))).toBe(true);
  }, 60_000);

  it('rejection with a reason, then a fixed resubmission is approved', async () => {
    const { expert } = await newExpertWithProfile();
    await client.call('POST', 'v1/experts/verification', { token: expert.accessToken });
    const first = await waitForRequest(expert.accessToken, 'awaiting_review');
    expect((await client.call('POST', `v1/admin/verifications/${first.id}/reject`, { token: adminToken, body: { reason: 'x' } })).status).toBe(400);
    expect((await client.call('POST', `v1/admin/verifications/${first.id}/reject`, { token: adminToken, body: { reason: 'The certificate number is not in the FSPCA registry.' } })).status).toBe(202);
    await waitForRequest(expert.accessToken, 'rejected');
    const own = await client.call('GET', 'v1/experts/profile', { token: expert.accessToken });
    expect(own.body.verification).toMatchObject({ status: 'rejected', reason: 'The certificate number is not in the FSPCA registry.' });
    const rejection = await waitFor(() => mailsTo(host, expert.email).find((mail) => mail.subject === 'Your verification request was not approved'), 10_000, 'the rejection email');
    expect(rejection.text).toContain('not in the FSPCA registry');

    expect((await client.call('POST', 'v1/experts/verification', { token: expert.accessToken })).status).toBe(202);
    const second = await waitForRequest(expert.accessToken, 'awaiting_review');
    expect(second.id).not.toBe(first.id);
    await client.call('POST', `v1/admin/verifications/${second.id}/approve`, { token: adminToken, body: {} });
    await waitForRequest(expert.accessToken, 'approved');
    const history = await client.call('GET', 'v1/experts/verification', { token: expert.accessToken });
    expect(history.body.history.map((request: { status: string }) => request.status)).toEqual(['approved', 'rejected']);
  }, 60_000);

  it('reminds the admins, then escalates, on durable timers while the review waits', async () => {
    const { expert } = await newExpertWithProfile();
    await client.call('POST', 'v1/experts/verification', { token: expert.accessToken });
    const request = await waitForRequest(expert.accessToken, 'awaiting_review');
    const subjects = () => mailsTo(host, ADMIN.email).map((mail) => mail.subject);
    await waitFor(() => subjects().some((subject) => subject.startsWith('Escalated:')) || undefined, 20_000, 'the escalation email');
    expect(subjects().filter((subject) => subject.startsWith('Reminder:')).length).toBeGreaterThanOrEqual(1);
    const current = (await client.call('GET', 'v1/experts/verification', { token: expert.accessToken })).body.current;
    expect(current).toMatchObject({ id: request.id, remindedAt: expect.any(String), escalatedAt: expect.any(String) });
    // Still decidable after escalation.
    await client.call('POST', `v1/admin/verifications/${request.id}/approve`, { token: adminToken, body: {} });
    await waitForRequest(expert.accessToken, 'approved');
  }, 60_000);
});

describe('submission that was cut off', () => {
  it('does not block a new submission when the earlier one never started its workflow', async () => {
    const { expert } = await newExpertWithProfile();
    // As if a submission crashed after marking the profile pending but before starting its workflow.
    const store = SqliteDocumentStore.open(path.join(host.dataDir, 'store.sqlite'));
    const profiles = await store.container(expertProfiles);
    await profiles.patch(expert.user.id, expert.user.id, [{ op: 'set', path: 'verification', value: { status: 'pending', requestId: randomUUID() } }]);
    await store.close();
    expect((await client.call('POST', 'v1/experts/verification', { token: expert.accessToken })).status).toBe(202);
    await waitForRequest(expert.accessToken, 'awaiting_review');
    expect((await client.call('POST', 'v1/experts/verification', { token: expert.accessToken })).status).toBe(409);
  }, 30_000);
});

describe('expert profiles and documents: validation, ownership, concurrency', () => {
  it('refuses a stale ETag (412) and a missing one (428), and keeps marketplace fields out of reach', async () => {
    const { expert, etag } = await newExpertWithProfile();
    const token = expert.accessToken;
    expect((await client.call('PUT', 'v1/experts/profile', { token, body: profileBody() })).status).toBe(428);
    const first = await client.call('PATCH', 'v1/experts/profile', { token, body: { headline: 'Preventive controls and FSVP for exporters' }, headers: { 'if-match': etag } });
    expect(first.status).toBe(200);
    // Only the field sent changes: the rest keeps its stored value, not its default.
    expect(first.body).toMatchObject({ headline: 'Preventive controls and FSVP for exporters', bio: profileBody().bio, industries: ['produce', 'seafood'], jurisdictions: ['US', 'MX'] });
    expect(first.body.certifications).toHaveLength(1);
    const stale = await client.call('PATCH', 'v1/experts/profile', { token, body: { headline: 'A concurrent edit that lost the race' }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const massAssignment = await client.call('PATCH', 'v1/experts/profile', { token, body: { verification: { status: 'verified' } }, headers: { 'if-match': first.headers.get('etag')! } });
    expect(massAssignment.status).toBe(400);
  }, 30_000);

  it('allows only experts, each on their own profile and documents', async () => {
    const buyer = await registerUser(client, 'client');
    expect((await client.call('GET', 'v1/experts/profile', { token: buyer.accessToken })).status).toBe(403);
    expect((await client.call('POST', 'v1/experts/verification')).status).toBe(401);
    const { expert, documentId } = await newExpertWithProfile();
    const other = await registerUser(client, 'expert');
    expect((await client.call('POST', `v1/experts/documents/${documentId}/complete`, { token: other.accessToken })).status).toBe(404);
    expect((await client.call('DELETE', `v1/experts/documents/${documentId}`, { token: other.accessToken })).status).toBe(404);
    expect((await client.call('DELETE', `v1/experts/documents/${documentId}`, { token: expert.accessToken })).status).toBe(409);
    // Another expert cannot link someone else's document either.
    const stolen = await client.call('PUT', 'v1/experts/profile', { token: other.accessToken, body: profileBody(documentId) });
    expect(stolen.status).toBe(400);
    expect(JSON.stringify(stolen.body)).toContain('certifications.0.documentId');
    expect((await client.call('GET', 'v1/admin/verifications', { token: expert.accessToken })).status).toBe(403);
  }, 30_000);

  it('checks the real type of an uploaded file, not the type the client claimed', async () => {
    const expert = await registerUser(client, 'expert');
    const { complete } = await uploadDocument(expert.accessToken, minimalPng(), 'image/png', 'application/pdf');
    expect(complete.status).toBe(400);
    expect(JSON.stringify(complete.body)).toMatch(/file/);
    const list = await client.call('GET', 'v1/experts/documents', { token: expert.accessToken });
    expect(list.body.items[0].status).toBe('awaiting_upload');
  }, 30_000);

  it('starts an upload once per Idempotency-Key, even when a retry runs the request again after a crash', async () => {
    const expert = await registerUser(client, 'expert');
    const start = () =>
      client.call('POST', 'v1/experts/documents', { token: expert.accessToken, body: { fileName: 'certificate.pdf', contentType: 'application/pdf' }, headers: { 'idempotency-key': 'upload-1' } });
    const first = await start();
    expect(first.status).toBe(201);
    await abandonClaim(host, first.body.document.id);
    const again = await start();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotency-replayed')).toBeNull(); // run again, by the takeover
    expect(again.body.document).toEqual(first.body.document);
    expect(again.body.upload.url).toContain(`/documents/${first.body.document.id}.pdf`); // the same blob
    const list = await client.call('GET', 'v1/experts/documents', { token: expert.accessToken });
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([first.body.document.id]);
  }, 30_000);
});

describe('what an expert uploads, as the admin receives it', () => {
  it('refuses a file name with a right-to-left override (it would show "…ath.pdf" for an .hta) with a problem naming fileName', async () => {
    const expert = await registerUser(client, 'expert');
    const refused = await client.call('POST', 'v1/experts/documents', { token: expert.accessToken, body: { fileName: 'PCQI-certificate\u202Efdp.hta', contentType: 'application/pdf' } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.fileName', message: expect.stringContaining('U+202E') })]);
    expect((await client.call('GET', 'v1/experts/documents', { token: expert.accessToken })).body.items).toEqual([]);
  }, 30_000);

  it('refuses at complete, with 422, a file that starts like a PDF but is none, and deletes it', async () => {
    const expert = await registerUser(client, 'expert');
    const { id, complete } = await uploadDocument(expert.accessToken, PDF_MAGIC_ONLY, 'application/pdf');
    expect(complete.status).toBe(422);
    expect(complete.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(complete.body.detail).toBe('The PDF document cannot be opened: Invalid PDF structure.');
    // Deleted: completing again finds no file.
    const again = await client.call('POST', `v1/experts/documents/${id}/complete`, { token: expert.accessToken });
    expect(again.status).toBe(404);
    expect(again.body.detail).toBe('No uploaded file was found; upload it first.');
  }, 30_000);

  it("serves a document named like a program with its real type's extension", async () => {
    const { expert, documentId } = await newExpertWithProfile('PCQI-certificate.exe');
    const listed = await client.call('GET', 'v1/experts/documents', { token: expert.accessToken });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: documentId, fileName: 'PCQI-certificate.exe.pdf' })]);
    await client.call('POST', 'v1/experts/verification', { token: expert.accessToken });
    const request = await waitForRequest(expert.accessToken, 'awaiting_review');
    const detail = await client.call('GET', `v1/admin/verifications/${request.id}`, { token: adminToken });
    expect(detail.body.documents).toEqual([expect.objectContaining({ id: documentId, status: 'uploaded', fileName: 'PCQI-certificate.exe.pdf' })]);
    const download = await fetch(detail.body.documents[0].url);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="PCQI-certificate.exe.pdf"');
  }, 60_000);

  it('takes a verification whose document file vanished to review, with the document marked missing', async () => {
    const { expert, documentId, blobUrl } = await newExpertWithProfile();
    await new BlockBlobClient(blobUrl, new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY)).delete();
    expect((await client.call('POST', 'v1/experts/verification', { token: expert.accessToken })).status).toBe(202);
    const request = await waitForRequest(expert.accessToken, 'awaiting_review');
    expect(request.checks).toEqual([
      expect.objectContaining({
        certificationEntryId: 'pcqi',
        documentId,
        overall: 'needs_review',
        results: [{ check: 'readable', status: 'needs_review', detail: 'The file of the linked document "certificate.pdf" is missing from storage; ask the expert to upload it again.' }],
      }),
    ]);
    const listed = await client.call('GET', 'v1/experts/documents', { token: expert.accessToken });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: documentId, status: 'missing' })]);
    const detail = await client.call('GET', `v1/admin/verifications/${request.id}`, { token: adminToken });
    expect(detail.status).toBe(200);
    expect(detail.body.documents).toEqual([{ id: documentId, fileName: 'certificate.pdf', status: 'missing' }]);
  }, 60_000);
});

describe('autocomplete through the host', () => {
  it('suggests taxonomy entries despite a typo, and names what is wrong with a bad query', async () => {
    const typo = await client.call('GET', 'v1/search/autocomplete?q=fmsa');
    expect(typo.status).toBe(200);
    expect(typo.body.items.map((item: { id: string }) => item.id)).toContain('fsma');
    const empty = await client.call('GET', 'v1/search/autocomplete?q=');
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('q');
  });
});
