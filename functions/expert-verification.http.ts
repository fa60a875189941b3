import { z } from 'zod';
import type { Stored } from '../shared/data/document-store';
import { ownerView } from '../shared/domain/experts/profile-view';
import type { VerificationRequest } from '../shared/domain/experts/verification';
import { requireRoles } from '../shared/http/auth';
import { clientInfo } from '../shared/http/client-info';
import { continuationOf, nextCursor, pageSchema, paginationQuery } from '../shared/http/pagination';
import { defineEndpoint, durableClientInput, experts, workflowRuntime } from '../shared/composition';

const expertOnly = requireRoles('expert');
const adminOnly = requireRoles('admin');
const requestSchema = z
  .object({
    id: z.string(),
    expertId: z.string(),
    status: z.enum(['checking', 'awaiting_review', 'approved', 'rejected', 'withdrawn']),
    submittedAt: z.string(),
    supervision: z
      .object({ recoveries: z.number().int(), dueBy: z.string().optional(), problem: z.object({ step: z.string(), reason: z.string(), at: z.string() }).optional() })
      .optional()
      .describe('The watchdog: when the automated part under way is due, how often it restarted the workflow, and the last problem people should know about'),
  })
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
  responses: {
    202: { description: 'Submitted; follow it at GET /api/v1/experts/verification', schema: requestSchema },
    409: { description: 'A request is already under way' },
    422: { description: 'Nothing to verify yet' },
  },
  handler: async ({ principal, context, request: http }) => {
    const request = await (await experts()).verification(workflowRuntime(context), clientInfo(http)).submit(principal.userId);
    return { status: 202, headers: { Location: '/api/v1/experts/verification' }, body: view(request) };
  },
});

export const withdrawVerification = defineEndpoint({
  name: 'withdrawExpertVerification',
  method: 'POST',
  route: 'v1/experts/verification/withdraw',
  summary: 'Take back your request while nobody has decided it; you may submit again at once',
  description: 'Your badge state goes back to what it was before the request. Refused (409) when no request is under way or an admin has decided it.',
  tags: ['experts'],
  auth: expertOnly,
  extraInputs: [durableClientInput],
  responses: { 200: { description: 'Withdrawn', schema: requestSchema }, 409: { description: 'Nothing to withdraw, or already decided' } },
  handler: async ({ principal, context, request: http }) => ({ body: view(await (await experts()).verification(workflowRuntime(context), clientInfo(http)).withdraw(principal.userId)) }),
});

export const getVerification = defineEndpoint({
  name: 'getExpertVerification',
  method: 'GET',
  route: 'v1/experts/verification',
  summary: 'Your verification requests, newest first, each with its steps and check results',
  tags: ['experts'],
  auth: expertOnly,
  responses: { 200: { description: 'The requests', schema: z.object({ current: requestSchema.nullable(), history: z.array(requestSchema) }) } },
  handler: async ({ principal, context, request }) => {
    const items = (await (await experts()).verification(workflowRuntime(context), clientInfo(request)).history(principal.userId)).map(view);
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
  query: paginationQuery.extend({
    status: z
      .enum(['checking', 'awaiting_review', 'approved', 'rejected', 'withdrawn', 'pending', 'needs_attention'])
      .default('pending')
      .describe('pending = awaiting_review; needs_attention = any request with a problem the workflow could not get past (its reason in supervision.problem)'),
  }),
  responses: { 200: { description: 'A page of requests', schema: pageSchema(requestSchema) } },
  handler: async ({ query, context, request }) => {
    const page = await (await experts()).verification(workflowRuntime(context), clientInfo(request)).queue(query.status, { limit: query.limit, continuation: continuationOf(query.cursor) });
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
  responses: {
    200: {
      description: 'The request',
      schema: z.object({
        request: requestSchema,
        profile: z.object({}).loose().nullable(),
        documents: z.array(
          z.object({
            id: z.string(),
            fileName: z.string(),
            status: z.enum(['uploaded', 'missing']).describe('`missing`: the file is gone from storage, so there is no link'),
            url: z.string().optional(),
            expiresAt: z.string().optional(),
          }),
        ),
      }),
    },
  },
  handler: async ({ params, context, request: http }) => {
    const { request, profile, documents } = await (await experts()).verificationDesk(workflowRuntime(context), clientInfo(http)).review(params.id);
    return { body: { request: view(request), profile: profile ? ownerView(profile) : null, documents } };
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
      const reason = (body as { reason?: string } | undefined)?.reason;
      const decided = await (await experts()).verification(workflowRuntime(context), clientInfo(http)).decide(params.id, outcome === 'approve' ? 'approved' : 'rejected', principal.userId, reason);
      return { status: 202, body: view(decided) };
    },
  });
}

export const retryVerification = defineEndpoint({
  name: 'adminVerificationRetry',
  method: 'POST',
  route: 'v1/admin/verifications/{id}/retry',
  summary: 'Run the workflow of a request again, with a fresh count of automatic restarts',
  description: 'For a request whose workflow the watchdog gave up on (see status=needs_attention), once its cause is fixed. Refused (409) for a settled request.',
  tags: ['admin'],
  auth: adminOnly,
  params: idParams,
  body: z.strictObject({}).optional(),
  extraInputs: [durableClientInput],
  responses: {
    202: { description: 'What the workflow was told to do', schema: z.object({ action: z.string(), reason: z.string() }) },
    404: { description: 'No such request' },
    409: { description: 'The request is settled' },
  },
  handler: async ({ params, principal, context, request }) => {
    const recovery = await (await experts()).verificationDesk(workflowRuntime(context), clientInfo(request)).retry(params.id, principal.userId);
    return { status: 202, body: { action: recovery.action, reason: recovery.reason } };
  },
});
