import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import { z } from 'zod';
import { getConfig } from '../shared/config';
import type { Stored } from '../shared/data/document-store';
import { ownerView } from '../shared/domain/experts/profile-view';
import { newVerificationRequest, type VerificationRequest } from '../shared/domain/experts/verification';
import { AppError } from '../shared/errors';
import { durableClientInput, getExperts, requireBlobStorage } from '../shared/experts-container';
import { requireRoles } from '../shared/http/auth';
import { clientInfo } from '../shared/http/client-info';
import { defineEndpoint } from '../shared/http/endpoint';
import { continuationOf, nextCursor, pageSchema, paginationQuery } from '../shared/http/pagination';
import { getIdentity } from '../shared/identity-container';
import { REVIEW_DECISION_EVENT, VERIFICATION_ORCHESTRATION, type VerificationInput } from './verification.durable';

const expertOnly = requireRoles('expert');
const adminOnly = requireRoles('admin');
const requestSchema = z
  .object({ id: z.string(), expertId: z.string(), status: z.enum(['checking', 'awaiting_review', 'approved', 'rejected']), submittedAt: z.string() })
  .loose()
  .describe('A verification request with its steps, automated check results and decision');
const instanceIdOf = (requestId: string) => `verification-${requestId}`;
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
  handler: async ({ principal, context }) => {
    const { profiles, requests } = await getExperts();
    const client = df.getClient(context);
    const profile = await profiles.read(principal.userId, principal.userId);
    if (!profile) throw new AppError('unprocessable', 'Create your profile first (PUT /api/v1/experts/profile).');
    if (profile.certifications.length === 0) throw new AppError('unprocessable', 'Add at least one certification, with its document, to your profile first.');
    if (profile.verification.status === 'pending' && (await workflowExists(client, profile.verification.requestId))) {
      throw new AppError('conflict', 'A verification request is already under way; follow it at GET /api/v1/experts/verification.');
    }
    // A submission cut off before its workflow started left a pending mark and maybe a request: clear them.
    if (profile.verification.status === 'pending' && profile.verification.requestId) await requests.delete(principal.userId, profile.verification.requestId).catch(() => undefined);
    const now = new Date();
    const request = await requests.create(newVerificationRequest(randomUUID(), principal.userId, now));
    try {
      // The profile's ETag guards against two submissions racing: the loser gets a 412.
      await profiles.replace({ ...profile, verification: { status: 'pending', requestId: request.id }, updatedAt: now.toISOString() }, { ifMatch: profile._etag });
    } catch (error) {
      await requests.delete(principal.userId, request.id).catch(() => undefined);
      throw error;
    }
    const input: VerificationInput = { expertId: principal.userId, requestId: request.id, submittedAt: request.submittedAt, timings: getConfig().verification };
    await client.startNew(VERIFICATION_ORCHESTRATION, { instanceId: instanceIdOf(request.id), input });
    return { status: 202, headers: { Location: '/api/v1/experts/verification' }, body: view(request) };
  },
});

/** Whether the request's workflow was started (the Durable client answers 404 for an unknown instance). */
async function workflowExists(client: df.DurableClient, requestId: string | undefined): Promise<boolean> {
  if (!requestId) return false;
  try {
    await client.getStatus(instanceIdOf(requestId));
    return true;
  } catch (error) {
    // Only "no such instance" means it never started; any other failure must not allow a second submission.
    if (/HTTP 404/.test(String((error as Error).message))) return false;
    throw error;
  }
}

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

async function requestById(id: string) {
  const page = await (await getExperts()).requests.query({ where: { field: 'id', op: 'eq', value: id }, limit: 1 });
  const request = page.items[0];
  if (!request) throw new AppError('not_found', 'No such verification request.');
  return request;
}

const idParams = z.object({ id: z.string().uuid('must be a verification request id') });

export const getVerificationForReview = defineEndpoint({
  name: 'adminGetVerification',
  method: 'GET',
  route: 'v1/admin/verifications/{id}',
  summary: 'One request with the profile under review and short-lived links to its documents',
  tags: ['admin'],
  auth: adminOnly,
  params: idParams,
  responses: { 200: { description: 'The request', schema: z.object({ request: requestSchema, profile: z.object({}).loose().nullable(), documents: z.array(z.object({ id: z.string(), fileName: z.string(), url: z.string(), expiresAt: z.string() })) }) } },
  handler: async ({ params }) => {
    const request = await requestById(params.id);
    const { profiles, documents } = await getExperts();
    const profile = await profiles.read(request.expertId, request.expertId);
    const links = [];
    for (const check of request.checks) {
      const document = check.documentId ? await documents.read(request.expertId, check.documentId) : null;
      if (document?.status !== 'uploaded') continue;
      const download = await requireBlobStorage().createDownloadUrl(document.blobName, { fileName: document.fileName });
      links.push({ id: document.id, fileName: document.fileName, url: download.url, expiresAt: download.expiresAt });
    }
    return { body: { request: view(request), profile: profile ? ownerView(profile) : null, documents: links } };
  },
});

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
      const request = await requestById(params.id);
      if (request.status !== 'awaiting_review' || request.decision) throw new AppError('conflict', `This request is ${request.decision ? 'already decided' : request.status}, not waiting for a review.`);
      const reason = (body as { reason?: string } | undefined)?.reason;
      const decision = { outcome: outcome === 'approve' ? ('approved' as const) : ('rejected' as const), ...(reason ? { reason } : {}), by: principal.userId, at: new Date().toISOString() };
      // The decision is stored first (the ETag makes two admins' decisions exclusive); the event only wakes the workflow.
      const decided = await (await getExperts()).requests.replace({ ...request, decision }, { ifMatch: request._etag });
      await df.getClient(context).raiseEvent(instanceIdOf(request.id), REVIEW_DECISION_EVENT, { outcome: decision.outcome });
      await (await getIdentity()).service.audit(
        { action: `verification.${decision.outcome}`, actorId: principal.userId, targetId: request.expertId, outcome: 'success', details: { requestId: request.id } },
        clientInfo(http),
      );
      return { status: 202, body: view(decided) };
    },
  });
}
