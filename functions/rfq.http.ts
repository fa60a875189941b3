import { output } from '@azure/functions';
import { z } from 'zod';
import { getConfig } from '../shared/config';
import { AppError } from '../shared/errors';
import { invitationPageSchema, rfqForViewerSchema, rfqDetailsSchema } from '../shared/domain/rfq/views';
import { RFQ_EVENTS_QUEUE, rfqId } from '../shared/domain/rfq/schemas';
import { SIGNATURE_HEADER } from '../shared/domain/rfq/webhook-signature';
import { publicAccess, requireRoles, signedIn } from '../shared/http/auth';
import { decodeCursor, encodeCursor, paginationQuery } from '../shared/http/pagination';
import { defineEndpoint, rfq, SERVICE_BUS_CONNECTION } from '../shared/composition';

const tags = ['rfq'];

/** Signed events go onto the same queue as the RFQ system's own messages: one intake path. */
const rfqEventsOutput = output.serviceBusQueue({ queueName: RFQ_EVENTS_QUEUE, connection: SERVICE_BUS_CONNECTION });

export const receiveSignedRfqEvent = defineEndpoint({
  name: 'rfqEventsWebhook',
  method: 'POST',
  route: 'v1/integrations/rfq-events',
  summary: 'The RFQ system: send one RFQ CloudEvent over HTTPS instead of Service Bus',
  description:
    'For systems that cannot reach Service Bus. The body is one CloudEvent exactly as on the `rfq-events` queue (see `GET /api/asyncapi.json`). ' +
    `Sign it: \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the shared secret>\`; ` +
    'a timestamp more than 5 minutes from the server clock is refused. A valid event is only enqueued (202); intake applies it as any queued event, ' +
    'once per event id. 400 names the fields of an invalid event.',
  tags,
  auth: publicAccess,
  // One system calls it for all its buyers, and every call is authenticated by its signature.
  rateLimit: 'none',
  headers: z.object({ [SIGNATURE_HEADER]: z.string().max(1000).optional().meta({ description: 't=<unix seconds>,v1=<hex>' }) }),
  extraOutputs: [rfqEventsOutput],
  responses: {
    202: { description: 'Enqueued onto rfq-events', schema: z.object({ status: z.literal('accepted'), id: z.string() }) },
    401: { description: 'The signature is missing, malformed, stale or does not match (the detail says which)' },
    503: { description: 'No shared secret is configured (RFQ_WEBHOOK_SECRET)' },
  },
  handler: async ({ request, context }) => {
    // The signature covers the bytes as sent, so the body is read raw, not through a schema.
    const body = new Uint8Array(await request.arrayBuffer());
    const event = (await rfq()).webhook.receive({ signature: request.headers.get(SIGNATURE_HEADER), contentType: request.headers.get('content-type'), body }, getConfig().http.maxBodyBytes);
    context.extraOutputs.set(rfqEventsOutput, new TextDecoder().decode(body));
    return { status: 202, body: { status: 'accepted', id: event.id } };
  },
});

export const getRfqForAdmin = defineEndpoint({
  name: 'adminGetRfq',
  method: 'GET',
  route: 'v1/admin/rfqs/{rfqId}',
  summary: 'Admin: an RFQ as intake stored it, with what became of each of its events',
  description:
    'For operators: the RFQ (status, version, the data of its last applied create or update, events waiting for the create) and every event it received with its outcome (`applied`, `kept`, `ignored` and why).',
  tags,
  auth: requireRoles('admin'),
  params: z.object({ rfqId }),
  responses: { 200: { description: 'The RFQ', schema: rfqDetailsSchema }, 404: { description: 'No event for this RFQ arrived' } },
  handler: async ({ params }) => {
    const details = await (await rfq()).service.details(params.rfqId);
    if (!details) throw new AppError('not_found', `No RFQ ${params.rfqId} has arrived.`);
    return { body: details };
  },
});

const continuationCursor = z.object({ c: z.string() });

export const listInvitations = defineEndpoint({
  name: 'rfqInvitationsList',
  method: 'GET',
  route: 'v1/rfqs/invitations',
  summary: 'Expert: the RFQs you were invited to quote on, newest first',
  description:
    "Auto-matching invites experts who meet an RFQ's hard requirements (at most RFQ_MAX_INVITATIONS per RFQ). Each invitation also arrives as an `rfq.invitation` notification with `data.rfqId`.",
  tags,
  auth: requireRoles('expert'),
  query: paginationQuery,
  responses: { 200: { description: 'A page of invitations', schema: invitationPageSchema } },
  handler: async ({ query, principal }) => {
    const continuation = query.cursor ? decodeCursor(query.cursor, continuationCursor).c : undefined;
    const page = await (await rfq()).reads.invitationsOf(principal.userId, { limit: query.limit, ...(continuation ? { continuation } : {}) });
    return { body: { items: page.items, nextCursor: page.continuation ? encodeCursor({ c: page.continuation }) : null } };
  },
});

export const getRfq = defineEndpoint({
  name: 'rfqGet',
  method: 'GET',
  route: 'v1/rfqs/{rfqId}',
  summary: 'An RFQ, for an expert invited to it or an admin',
  description:
    'Anyone else gets 404, as for an RFQ that does not exist. Admins also see whom matching invited, the near-misses (experts missing a hard requirement, never invited) and the matching state.',
  tags,
  auth: signedIn,
  params: z.object({ rfqId }),
  responses: { 200: { description: 'The RFQ', schema: rfqForViewerSchema }, 404: { description: 'No such RFQ, or not one you were invited to' } },
  handler: async ({ params, principal }) => ({ body: await (await rfq()).reads.forViewer(params.rfqId, principal) }),
});
