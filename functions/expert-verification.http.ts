import { z } from 'zod';
import type { Stored } from '../shared/data/document-store';
import type { ExpertDocument } from '../shared/domain/experts/records';
import { isAppError } from '../shared/errors';
import { ownerView } from '../shared/domain/experts/profile-view';
import type { VerificationRequest } from '../shared/domain/experts/verification';
import { durableClientInput, getExperts, requireBlobStorage, verificationService } from '../shared/experts-container';
import { requireRoles } from '../shared/http/auth';
import { defineEndpoint } from '../shared/http/endpoint';
import { continuationOf, nextCursor, pageSchema, paginationQuery } from '../shared/http/pagination';

const expertOnly = requireRoles('expert');
const adminOnly = requireRoles('admin');
const requestSchema = z
  .object({ id: z.string(), expertId: z.string(), status: z.enum(['checking', 'awaiting_review', 'approved', 'rejected']), submittedAt: z.string() })
  .loose()
  .describe('A verification request with its steps, automated check results and decision');
const view = ({ _etag: _e, _ts: _t, ...request }: Stored<VerificationRequest>) => request;

export const submitVerification = defineEndpoint({
  name: 'submitExpertVerification',
  method: 'POST',
  route: 'v1/experts/verification',
  summary: 'Ask for the verified badge: automated document checks, then an admin review',
  description: 'Needs a profile with at least one certification. One request at a time; after a rejection, fix the profile or documents and submit again.',
  tags: ['experts'],
  auth: expertOnly,
  idempotent: true,
  extraInputs: [durableClientInput],
  responses: { 202: { description: 'Submitted; follow it at GET /api/v1/experts/verification', schema: requestSchema }, 409: { description: 'A request is already under way' }, 422: { description: 'Nothing to verify yet' } },
  handler: async ({ principal, context, request: http }) => {
    const request = await (await verificationService(context, http)).submit(principal.userId);
    return { status: 202, headers: { Location: '/api/v1/experts/verification' }, body: view(request) };
  },
});

export const getVerification = defineEndpoint({
  name: 'getExpertVerification',
  method: 'GET',
  route: 'v1/experts/verification',
  summary: 'Your verification requests, newest first, each with its steps and check results',
  tags: ['experts'],
  auth: expertOnly,
  responses: { 200: { description: 'The requests', schema: z.object({ current: requestSchema.nullable(), history: z.array(requestSchema) }) } },
  handler: async ({ principal }) => {
    const page = await (await getExperts()).requests.query({ partitionKey: principal.userId, orderBy: [{ field: 'submittedAt', direction: 'desc' }], limit: 20 });
    const items = page.items.map(view);
    return { body: { current: items[0] ?? null, history: items } };
  },
});

export const listPendingVerifications = defineEndpoint({
  name: 'adminListVerifications',
  method: 'GET',
  route: 'v1/admin/verifications',
  summary: 'Verification requests by status, oldest first (the review queue)',
  tags: ['admin'],
  auth: adminOnly,
  query: paginationQuery.extend({ status: z.enum(['checking', 'awaiting_review', 'approved', 'rejected', 'pending']).default('pending').describe('pending = awaiting_review') }),
  responses: { 200: { description: 'A page of requests', schema: pageSchema(requestSchema) } },
  handler: async ({ query }) => {
    const status = query.status === 'pending' ? 'awaiting_review' : query.status;
    const page = await (await getExperts()).requests.query({ where: { field: 'status', op: 'eq', value: status }, orderBy: [{ field: 'submittedAt' }], limit: query.limit, continuation: continuationOf(query.cursor) });
    return { body: { items: page.items.map(view), nextCursor: nextCursor(page.continuation) } };
  },
});

const idParams = z.object({ id: z.string().uuid('must be a verification request id') });

export const getVerificationForReview = defineEndpoint({
  name: 'adminGetVerification',
  method: 'GET',
  route: 'v1/admin/verifications/{id}',
  summary: 'One request with the profile under review and short-lived links to its documents',
  tags: ['admin'],
  auth: adminOnly,
  params: idParams,
  responses: { 200: { description: 'The request', schema: z.object({ request: requestSchema, profile: z.object({}).loose().nullable(), documents: z.array(z.object({ id: z.string(), fileName: z.string(), status: z.enum(['uploaded', 'missing']).describe('`missing`: the file is gone from storage, so there is no link'), url: z.string().optional(), expiresAt: z.string().optional() })) }) } },
  handler: async ({ params, context, request: http }) => {
    const request = await (await verificationService(context, http)).byId(params.id);
    const { profiles, documents } = await getExperts();
    const profile = await profiles.read(request.expertId, request.expertId);
    const links = [];
    for (const check of request.checks) {
      const document = check.documentId ? await documents.read(request.expertId, check.documentId) : null;
      if (document && document.status !== 'awaiting_upload') links.push(await documentLink(document));
    }
    return { body: { request: view(request), profile: profile ? ownerView(profile) : null, documents: links } };
  },
});

/** A short-lived download link, or the document marked missing when its file is gone (the review page still opens). */
async function documentLink(document: ExpertDocument) {
  if (document.status === 'uploaded') {
    try {
      const download = await requireBlobStorage().createDownloadUrl(document.blobName, { fileName: document.fileName });
      return { id: document.id, fileName: download.fileName, status: 'uploaded' as const, url: download.url, expiresAt: download.expiresAt };
    } catch (error) {
      if (!isAppError(error) || error.kind !== 'not_found') throw error;
    }
  }
  return { id: document.id, fileName: document.fileName, status: 'missing' as const };
}

for (const outcome of ['approve', 'reject'] as const) {
  defineEndpoint({
    name: `adminVerification${outcome === 'approve' ? 'Approve' : 'Reject'}`,
    method: 'POST',
    route: `v1/admin/verifications/{id}/${outcome}`,
    summary: outcome === 'approve' ? 'Approve: the expert gets the verified badge' : 'Reject, with the reason the expert will read',
    tags: ['admin'],
    auth: adminOnly,
    params: idParams,
    body: outcome === 'reject' ? z.strictObject({ reason: z.string().trim().min(10).max(1000) }) : z.strictObject({}).optional(),
    extraInputs: [durableClientInput],
    responses: { 202: { description: 'Recorded; the workflow applies it', schema: requestSchema }, 409: { description: 'The request is not waiting for a review' } },
    handler: async ({ params, body, principal, request: http, context }) => {
      const reason = (body as { reason?: string } | undefined)?.reason;
      const decided = await (await verificationService(context, http)).decide(params.id, outcome === 'approve' ? 'approved' : 'rejected', principal.userId, reason);
      return { status: 202, body: view(decided) };
    },
  });
}
