import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { extensionFor, fileNameProblem, MAX_FILE_NAME_LENGTH, withTypeExtension } from '../shared/blob/file-names';
import { createOnce } from '../shared/data/create-once';
import type { Stored } from '../shared/data/document-store';
import { documentProblem } from '../shared/documents/document-problem';
import { AppError } from '../shared/errors';
import type { ExpertDocument } from '../shared/domain/experts/records';
import { getExperts, requireBlobStorage } from '../shared/experts-container';
import { requireRoles } from '../shared/http/auth';
import { defineEndpoint } from '../shared/http/endpoint';

const tags = ['experts'];
const expertOnly = requireRoles('expert');
const ACCEPTED = ['application/pdf', 'image/png', 'image/jpeg'] as const;
const MAX_BYTES = 10 * 1024 * 1024;
const MAX_DOCUMENTS = 50;

const documentSchema = z.object({
  id: z.string(),
  fileName: z.string().describe("As given, with the verified type's extension last"),
  contentType: z.enum(ACCEPTED),
  status: z.enum(['awaiting_upload', 'uploaded', 'missing']).describe('`missing`: the file was found gone from storage (by the verification checks); upload it again as a new document'),
  size: z.number().optional(),
  createdAt: z.string(),
  uploadedAt: z.string().optional(),
});
const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a document id') });

const view = ({ id, fileName, contentType, status, size, createdAt, uploadedAt }: Stored<ExpertDocument>) => ({ id, fileName, contentType, status, size, createdAt, uploadedAt });

async function ownDocument(expertId: string, id: string) {
  const document = await (await getExperts()).documents.read(expertId, id);
  if (!document) throw new AppError('not_found', 'No such document.');
  return document;
}

export const createDocument = defineEndpoint({
  name: 'createExpertDocument',
  method: 'POST',
  route: 'v1/experts/documents',
  summary: 'Start a document upload: a short-lived URL to PUT the file to storage directly',
  description:
    'PDF, PNG or JPEG up to 10 MB. PUT the file to `upload.url` with `upload.headers` before `upload.expiresAt` (5 minutes), then POST .../{id}/complete: the stored file is checked then (its real type from its bytes, its size, and that it opens), not trusted from the client. `fileName` is refused when it holds control, invisible or text-direction characters, path separators or characters Windows reserves, starts with "." or ends with "." or a space, or is a Windows device name; it is stored (and downloaded) with the extension of `contentType` last (`x.exe` → `x.exe.pdf`).',
  tags,
  auth: expertOnly,
  idempotent: true,
  body: z.strictObject({
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(MAX_FILE_NAME_LENGTH)
      .superRefine((name, context) => {
        const problem = fileNameProblem(name);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
    contentType: z.enum(ACCEPTED),
  }),
  responses: {
    201: {
      description: 'The document record and where to upload it',
      schema: z.object({
        document: documentSchema,
        upload: z.object({ url: z.string(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()), expiresAt: z.string(), maxBytes: z.number() }),
      }),
    },
    409: { description: 'Too many documents' },
  },
  handler: async ({ principal, body, effectId }) => {
    const { documents } = await getExperts();
    if ((await documents.count({ partitionKey: principal.userId })) >= MAX_DOCUMENTS) {
      throw new AppError('conflict', `You have ${MAX_DOCUMENTS} documents; delete some before uploading more.`);
    }
    const id = effectId ?? randomUUID();
    const blobName = `experts/${principal.userId}/documents/${id}.${extensionFor(body.contentType)}`;
    const upload = await requireBlobStorage().createUploadUrl(blobName, { contentType: body.contentType, maxBytes: MAX_BYTES });
    // A second run of the request (after a crash) finds the first run's record and gets a new URL for the same blob.
    const document = await createOnce(documents, principal.userId, {
      id,
      expertId: principal.userId,
      fileName: withTypeExtension(body.fileName, body.contentType),
      contentType: body.contentType,
      maxBytes: MAX_BYTES,
      blobName,
      status: 'awaiting_upload',
      createdAt: new Date().toISOString(),
    });
    return { status: 201, body: { document: view(document), upload } };
  },
});

export const completeDocument = defineEndpoint({
  name: 'completeExpertDocument',
  method: 'POST',
  route: 'v1/experts/documents/{id}/complete',
  summary: 'Finish an upload: the stored file is checked (real type, size, that it opens) and the document becomes usable',
  tags,
  auth: expertOnly,
  params: idParams,
  responses: {
    200: { description: 'The uploaded document', schema: documentSchema },
    400: { description: 'The file is not what it claims to be (it is deleted)' },
    413: { description: 'Too large (deleted)' },
    422: { description: 'The file has the right type but does not open: a PDF that does not parse, an image that does not decode (it is deleted)' },
  },
  handler: async ({ principal, params }) => {
    const document = await ownDocument(principal.userId, params.id);
    if (document.status === 'uploaded') return { body: view(document) };
    const verified = await requireBlobStorage().verifyUpload(document.blobName, { maxBytes: document.maxBytes, allowedContentTypes: [document.contentType], open: documentProblem });
    const { documents } = await getExperts();
    const updated = await documents.patch(principal.userId, document.id, [
      { op: 'set', path: 'status', value: 'uploaded' },
      { op: 'set', path: 'size', value: verified.size },
      { op: 'set', path: 'uploadedAt', value: new Date().toISOString() },
    ]);
    return { body: view(updated) };
  },
});

export const listDocuments = defineEndpoint({
  name: 'listExpertDocuments',
  method: 'GET',
  route: 'v1/experts/documents',
  summary: 'Your documents, newest first',
  tags,
  auth: expertOnly,
  responses: { 200: { description: 'Your documents', schema: z.object({ items: z.array(documentSchema) }) } },
  handler: async ({ principal }) => {
    const page = await (await getExperts()).documents.query({ partitionKey: principal.userId, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: MAX_DOCUMENTS });
    return { body: { items: page.items.map(view) } };
  },
});

export const deleteDocument = defineEndpoint({
  name: 'deleteExpertDocument',
  method: 'DELETE',
  route: 'v1/experts/documents/{id}',
  summary: 'Delete a document and its file (not while a certification on your profile links to it)',
  tags,
  auth: expertOnly,
  params: idParams,
  responses: { 204: { description: 'Deleted' }, 409: { description: 'A certification links to it' } },
  handler: async ({ principal, params }) => {
    const { documents, profiles } = await getExperts();
    const document = await ownDocument(principal.userId, params.id);
    const profile = await profiles.read(principal.userId, principal.userId);
    const linked = profile?.certifications.find((certification) => certification.documentId === document.id);
    if (linked) throw new AppError('conflict', `The certification "${linked.name}" links to this document; unlink or replace it on your profile first.`);
    // The record first: if the file's removal then fails, an unreferenced file is left, never a record without its file.
    await documents.delete(principal.userId, document.id);
    await requireBlobStorage().delete(document.blobName);
    return { status: 204 };
  },
});
