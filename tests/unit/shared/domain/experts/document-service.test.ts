import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { expertDocuments, expertProfiles } from '../../../../../shared/domain/experts/containers';
import { type DocumentFiles, ExpertDocumentService, MAX_DOCUMENTS } from '../../../../../shared/domain/experts/document-service';
import type { ExpertDocument, ExpertProfile } from '../../../../../shared/domain/experts/records';
import { AppError } from '../../../../../shared/errors';
import { expertProfile } from '../../../../helpers/expert-profiles';

const now = new Date('2026-12-01T10:00:00Z');
let documents: Container<ExpertDocument>;
let profiles: Container<ExpertProfile>;
let stored: Set<string>;
let deleted: string[];
let service: ExpertDocumentService;

/** Storage as the service sees it: names of files that exist; a verified upload is any that exists. */
const files: DocumentFiles = {
  createUploadUrl: async (name, options) => ({
    url: `https://files/${name}?sas`,
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': options.contentType },
    expiresAt: now.toISOString(),
    maxBytes: options.maxBytes,
  }),
  createDownloadUrl: async (name, options) => {
    if (!stored.has(name)) throw new AppError('not_found', 'No such file.');
    return { url: `https://files/${name}?read`, method: 'GET', expiresAt: now.toISOString(), contentType: 'application/pdf', fileName: options?.fileName ?? name };
  },
  verifyUpload: async (name) => {
    if (!stored.has(name)) throw new AppError('not_found', 'No uploaded file was found; upload it first.');
    return { name, size: 1234, contentType: 'application/pdf' };
  },
  download: async () => Buffer.from(''),
  delete: async (name) => void deleted.push(name),
};

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  documents = await store.container<ExpertDocument>(expertDocuments);
  profiles = await store.container<ExpertProfile>(expertProfiles);
  stored = new Set();
  deleted = [];
  service = new ExpertDocumentService({ documents, profiles, files: () => files, now: () => now });
});

describe('expert documents', () => {
  it('starts an upload under the request’s effect id once, with the real type’s extension on the name', async () => {
    const first = await service.startUpload('e1', { fileName: 'PCQI.exe', contentType: 'application/pdf' }, 'effect-1');
    const again = await service.startUpload('e1', { fileName: 'PCQI.exe', contentType: 'application/pdf' }, 'effect-1');
    expect(first.document).toMatchObject({ id: 'effect-1', fileName: 'PCQI.exe.pdf', status: 'awaiting_upload', blobName: 'experts/e1/documents/effect-1.pdf' });
    expect(again.document).toEqual(first.document);
    expect(await service.list('e1')).toHaveLength(1);
  });

  it(`refuses more than ${MAX_DOCUMENTS} documents`, async () => {
    for (let i = 0; i < MAX_DOCUMENTS; i++) await service.startUpload('e1', { fileName: `d${i}.pdf`, contentType: 'application/pdf' });
    await expect(service.startUpload('e1', { fileName: 'one-more.pdf', contentType: 'application/pdf' })).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('completes once the file is stored, and only once', async () => {
    const { document } = await service.startUpload('e1', { fileName: 'a.pdf', contentType: 'application/pdf' });
    await expect(service.complete('e1', document.id)).rejects.toMatchObject({ kind: 'not_found' });
    stored.add(document.blobName);
    const done = await service.complete('e1', document.id);
    expect(done).toMatchObject({ status: 'uploaded', size: 1234, uploadedAt: now.toISOString() });
    expect(await service.complete('e1', document.id)).toEqual(done);
    await expect(service.complete('e2', document.id)).rejects.toMatchObject({ kind: 'not_found' }); // another expert's
  });

  it('deletes a document and its file, unless a certification links to it', async () => {
    const { document } = await service.startUpload('e1', { fileName: 'a.pdf', contentType: 'application/pdf' });
    await profiles.create(expertProfile('e1', { certifications: [{ id: 'c1', certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA', number: 'PCQI-1', documentId: document.id }] }));
    await expect(service.delete('e1', document.id)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('"PCQI"') });
    await profiles.patch('e1', 'e1', [{ op: 'set', path: 'certifications', value: [] }]);
    await service.delete('e1', document.id);
    expect(deleted).toEqual([document.blobName]);
    expect(await service.list('e1')).toEqual([]);
  });

  it('gives the reviewer a link per uploaded document, and marks one whose file is gone as missing', async () => {
    const kept = (await service.startUpload('e1', { fileName: 'kept.pdf', contentType: 'application/pdf' })).document;
    const gone = (await service.startUpload('e1', { fileName: 'gone.pdf', contentType: 'application/pdf' })).document;
    const pending = (await service.startUpload('e1', { fileName: 'pending.pdf', contentType: 'application/pdf' })).document;
    stored.add(kept.blobName).add(gone.blobName);
    await service.complete('e1', kept.id);
    await service.complete('e1', gone.id);
    stored.delete(gone.blobName);
    expect(await service.reviewLinks('e1', [kept.id, gone.id, pending.id, 'unknown'])).toEqual([
      { id: kept.id, fileName: 'kept.pdf', status: 'uploaded', url: `https://files/${kept.blobName}?read`, expiresAt: now.toISOString() },
      { id: gone.id, fileName: 'gone.pdf', status: 'missing' },
    ]);
  });
});
