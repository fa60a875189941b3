import { z } from 'zod';
import { fileNameProblem, MAX_FILE_NAME_LENGTH } from '../shared/blob/file-names';
import type { Stored } from '../shared/data/document-store';
import { DOCUMENT_TYPES } from '../shared/domain/experts/document-service';
import type { ExpertDocument } from '../shared/domain/experts/records';
import { requireRoles } from '../shared/http/auth';
import { defineEndpoint, experts } from '../shared/composition';

const tags = ['experts'];
const expertOnly = requireRoles('expert');

const documentSchema = z.object({
  id: z.string(),
  fileName: z.string().describe("As given, with the verified type's extension last"),
  contentType: z.enum(DOCUMENT_TYPES),
  status: z.enum(['awaiting_upload', 'uploaded', 'missing']).describe('`missing`: the file was found gone from storage (by the verification checks); upload it again as a new document'),
  size: z.number().optional(),
  createdAt: z.string(),
  uploadedAt: z.string().optional(),
});
const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a document id') });

const view = ({ id, fileName, contentType, status, size, createdAt, uploadedAt }: Stored<ExpertDocument>) => ({ id, fileName, contentType, status, size, createdAt, uploadedAt });

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
    contentType: z.enum(DOCUMENT_TYPES),
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
    const { document, upload } = await (await experts()).documents.startUpload(principal.userId, body, effectId);
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
  handler: async ({ principal, params }) => ({ body: view(await (await experts()).documents.complete(principal.userId, params.id)) }),
});

export const listDocuments = defineEndpoint({
  name: 'listExpertDocuments',
  method: 'GET',
  route: 'v1/experts/documents',
  summary: 'Your documents, newest first',
  tags,
  auth: expertOnly,
  responses: { 200: { description: 'Your documents', schema: z.object({ items: z.array(documentSchema) }) } },
  handler: async ({ principal }) => ({ body: { items: (await (await experts()).documents.list(principal.userId)).map(view) } }),
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
    await (await experts()).documents.delete(principal.userId, params.id);
    return { status: 204 };
  },
});
