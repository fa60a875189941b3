import { z } from 'zod';
import { ROLES } from '../shared/domain/identity/principal';
import { adminUserPatch, auditRecordSchema, userSchema } from '../shared/domain/identity/schemas';
import { outboxMessageSchema, OUTBOX_STATUSES } from '../shared/domain/notifications/schemas';
import { requireRoles } from '../shared/http/auth';
import { clientInfo } from '../shared/http/client-info';
import { requireIfMatch, strongEtag } from '../shared/http/etag';
import { userWithEtag } from '../shared/http/user-response';
import { continuationOf, nextCursor, pageSchema, paginationQuery } from '../shared/http/pagination';
import { defineEndpoint, identity } from '../shared/composition';

const tags = ['admin'];
const adminOnly = requireRoles('admin');
const admin = async () => (await identity()).admin;
const pageOf = (query: { limit: number; cursor?: string }) => ({ limit: query.limit, continuation: continuationOf(query.cursor) });

export const listUsers = defineEndpoint({
  name: 'adminListUsers',
  method: 'GET',
  route: 'v1/admin/users',
  summary: 'Accounts, newest first, filtered by role, status or email prefix',
  tags,
  auth: adminOnly,
  query: paginationQuery.extend({
    role: z.enum(ROLES).optional(),
    status: z.enum(['active', 'suspended']).optional(),
    email: z.string().min(1).max(254).optional().describe('Start of the email address'),
  }),
  responses: { 200: { description: 'A page of accounts', schema: pageSchema(userSchema) } },
  handler: async ({ query, principal, request }) => {
    const page = await (await admin()).listUsers(principal, query, pageOf(query), clientInfo(request));
    return { body: { items: page.items, nextCursor: nextCursor(page.continuation) } };
  },
});

const userParams = z.object({ id: z.uuid('must be a user id') });

export const getUser = defineEndpoint({
  name: 'adminGetUser',
  method: 'GET',
  route: 'v1/admin/users/{id}',
  summary: 'One account, with the ETag a change needs',
  tags,
  auth: adminOnly,
  params: userParams,
  responses: { 200: { description: 'The account', schema: userSchema }, 404: { description: 'No such user' } },
  handler: async ({ params, principal, request }) => userWithEtag(await (await admin()).user(principal, params.id, clientInfo(request))),
});

export const updateUser = defineEndpoint({
  name: 'adminUpdateUser',
  method: 'PATCH',
  route: 'v1/admin/users/{id}',
  summary: "Set an account's roles or suspend / reactivate it; needs If-Match",
  description: 'Suspending ends every session of the account; role changes apply to its next request. Audited.',
  tags,
  auth: adminOnly,
  params: userParams,
  body: adminUserPatch,
  responses: {
    200: { description: 'The changed account', schema: userSchema },
    404: { description: 'No such user' },
    412: { description: 'Changed since you read it' },
    422: { description: 'An admin tried to suspend or demote themselves' },
    428: { description: 'If-Match missing' },
  },
  handler: async ({ params, body, principal, request }) =>
    userWithEtag(await (await admin()).updateUser(principal, params.id, body, (etag) => requireIfMatch(request, strongEtag(etag)), clientInfo(request))),
});

export const listAudit = defineEndpoint({
  name: 'adminListAudit',
  method: 'GET',
  route: 'v1/admin/audit',
  summary: 'Audit records, newest first, filtered by actor, target, action and time',
  tags,
  auth: adminOnly,
  query: paginationQuery.extend({
    actorId: z.string().min(1).max(100).optional(),
    targetId: z.string().min(1).max(100).optional(),
    action: z
      .string()
      .regex(/^[a-z0-9_.]+$/, 'must be an action name such as login.failed')
      .optional(),
    from: z.iso.datetime().optional().describe('Inclusive, ISO 8601 UTC'),
    to: z.iso.datetime().optional().describe('Exclusive, ISO 8601 UTC'),
  }),
  responses: { 200: { description: 'A page of audit records', schema: pageSchema(auditRecordSchema) } },
  handler: async ({ query, principal, request }) => {
    const page = await (await admin()).auditRecords(principal, query, pageOf(query), clientInfo(request));
    return { body: { items: page.items.map(({ _etag: _e, _ts: _t, kind: _k, ...record }) => record), nextCursor: nextCursor(page.continuation) } };
  },
});

export const verifyAudit = defineEndpoint({
  name: 'adminVerifyAudit',
  method: 'GET',
  route: 'v1/admin/audit/verify',
  summary: 'Re-check every audit hash chain and say where one breaks',
  tags,
  auth: adminOnly,
  rateLimit: 'expensive',
  responses: {
    200: {
      description: 'The verdict',
      schema: z.object({ intact: z.boolean(), chains: z.number(), checked: z.number(), breaks: z.array(z.object({ chain: z.string(), seq: z.number(), reason: z.string() })) }),
    },
  },
  handler: async ({ principal, request }) => ({ body: await (await admin()).verifyAudit(principal, clientInfo(request)) }),
});

export const listOutbox = defineEndpoint({
  name: 'adminListOutbox',
  method: 'GET',
  route: 'v1/admin/outbox',
  summary: 'Outgoing email and WhatsApp messages, newest first, filtered by status',
  description: '`dead` lists what failed every attempt and waits for a retry by hand. No message text is shown and addresses are masked.',
  tags,
  auth: adminOnly,
  query: paginationQuery.extend({ status: z.enum(OUTBOX_STATUSES).optional() }),
  responses: { 200: { description: 'A page of messages', schema: pageSchema(outboxMessageSchema) } },
  handler: async ({ query, principal, request }) => {
    const page = await (await admin()).outboxMessages(principal, query.status, pageOf(query), clientInfo(request));
    return { body: { items: page.items, nextCursor: nextCursor(page.continuation) } };
  },
});

export const retryOutbox = defineEndpoint({
  name: 'adminRetryOutbox',
  method: 'POST',
  route: 'v1/admin/outbox/{id}/retry',
  summary: 'Send a dead (or pending) message again now, its attempts counted from zero',
  description: 'A sent message is never sent again (409); with an `Idempotency-Key` a repeated request replays the first answer. Audited.',
  tags,
  auth: adminOnly,
  idempotent: true,
  params: z.object({ id: z.uuid('must be an outbox message id') }),
  responses: {
    200: { description: 'The message after the attempt: `sent`, or `pending` with its next attempt', schema: outboxMessageSchema },
    404: { description: 'No such message' },
    409: { description: 'Already sent, or an attempt is running' },
  },
  handler: async ({ params, principal, request }) => ({ body: await (await admin()).retryOutboxMessage(principal, params.id, clientInfo(request)) }),
});
