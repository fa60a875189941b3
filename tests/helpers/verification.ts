import { expect } from 'vitest';
import { waitFor } from './host-process';
import { registerUser, type Api } from './identity';
import { minimalPdf } from './sample-files';

/** A profile with one PCQI certification, linked to `documentId` when given. */
export const expertProfileBody = (documentId?: string, name = 'María García-López') => ({
  name,
  headline: 'PCQI and FSVP specialist for Latin American exporters',
  bio: 'Twelve years in FSMA preventive controls for produce and seafood exporters.',
  specializations: [
    { id: 'fsma-preventive-controls', years: 12, level: 'expert' },
    { id: 'fsvp', years: 8, level: 'expert' },
  ],
  certifications: [
    { id: 'pcqi', certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA', number: 'PCQI-2024-118733', issuedOn: '2024-03-31', expiresOn: '2027-03-31', ...(documentId ? { documentId } : {}) },
  ],
  industries: ['produce', 'seafood'],
  jurisdictions: ['US', 'MX'],
  languages: ['es', 'en'],
  country: 'MX',
  timeZone: 'America/Mexico_City',
  hourlyRate: { amount: 95, currency: 'USD' },
  whatsapp: { number: '+525512345678', optIn: true },
});

export const certificatePdf = minimalPdf([
  'FSPCA Preventive Controls for Human Food',
  'This certifies that Maria Garcia-Lopez',
  'completed the course.',
  'Certificate No. PCQI-2024-118733',
  'Valid until March 31, 2027',
]);

/** Uploads a file the way a browser would: the SAS URL from the API, a plain PUT, then complete. */
export async function uploadDocument(client: Api, token: string, bytes: Buffer, contentType: string, claimedType = contentType, fileName = 'certificate.pdf') {
  const created = await client.call('POST', 'v1/experts/documents', { token, body: { fileName, contentType: claimedType } });
  expect(created.status).toBe(201);
  const { upload, document } = created.body;
  const put = await fetch(upload.url, { method: 'PUT', headers: { ...upload.headers, 'content-type': claimedType }, body: new Uint8Array(bytes) });
  expect(put.status).toBe(201);
  const blobUrl = upload.url.split('?')[0] as string;
  return { id: document.id as string, blobUrl, complete: await client.call('POST', `v1/experts/documents/${document.id}/complete`, { token }) };
}

/** A new expert account with a profile whose certificate PDF passes the automated checks. */
export async function newExpertWithProfile(client: Api, fileName?: string) {
  const expert = await registerUser(client, 'expert');
  const { id: documentId, blobUrl, complete } = await uploadDocument(client, expert.accessToken, certificatePdf, 'application/pdf', 'application/pdf', fileName);
  expect(complete.status).toBe(200);
  const created = await client.call('PUT', 'v1/experts/profile', { token: expert.accessToken, body: expertProfileBody(documentId) });
  expect(created.status).toBe(201);
  return { expert, etag: created.headers.get('etag')!, documentId, blobUrl };
}

/** The expert's current request once it has `status` (and, when asked, its outcome sent). */
export async function waitForRequest(client: Api, token: string, status: string, options: { settled?: boolean; timeoutMs?: number; poke?: () => Promise<unknown> } = {}) {
  return waitFor(
    async () => {
      await options.poke?.();
      const current = (await client.call('GET', 'v1/experts/verification', { token })).body.current;
      if (current?.status !== status) return undefined;
      if (options.settled && current.steps.find((step: { name: string }) => step.name === 'outcome_sent')?.state !== 'done') return undefined;
      return current;
    },
    options.timeoutMs ?? 20_000,
    `verification ${status}`,
  );
}
