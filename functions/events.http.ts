import { z } from 'zod';
import { defineEndpoint, events, identity } from '../shared/composition';
import { outboundEventSchema } from '../shared/domain/events/event-types';
import { marketplacePing } from '../shared/domain/events/ping';
import { EVENT_STATUSES, eventListPosition, pingBody, stagedEventViewSchema } from '../shared/domain/events/schemas';
import { requireRoles } from '../shared/http/auth';
import { clientInfo } from '../shared/http/client-info';
import { decodeCursor, page, pageSchema, paginationQuery } from '../shared/http/pagination';

const tags = ['admin'];
const adminOnly = requireRoles('admin');

export const listEvents = defineEndpoint({
  name: 'adminListEvents',
  method: 'GET',
  route: 'v1/admin/events',
  summary: 'Outbound events (marketplace-events), newest first, filtered by status',
  description: '`dead` lists what failed every attempt: later events of the same subject wait behind it until it is retried. Event data is not shown.',
  tags,
  auth: adminOnly,
  query: paginationQuery.extend({ status: z.enum(EVENT_STATUSES).optional() }),
  responses: { 200: { description: 'A page of events', schema: pageSchema(stagedEventViewSchema) } },
  handler: async ({ query, principal, request }) => {
    const after = query.cursor ? decodeCursor(query.cursor, eventListPosition) : undefined;
    const listed = await (await events()).relay.list({ status: query.status, limit: query.limit, after });
    await (await identity()).service.audit({ action: 'admin.events_listed', actorId: principal.userId, outcome: 'success', details: { status: query.status ?? 'any' } }, clientInfo(request));
    return { body: page(listed.items, listed.next) };
  },
});

export const retryEvent = defineEndpoint({
  name: 'adminRetryEvent',
  method: 'POST',
  route: 'v1/admin/events/{id}/retry',
  summary: 'Send a dead (or pending) event again, its attempts counted from zero',
  description:
    'It goes at the relay’s next pass (within seconds), after any earlier event of its subject. A published event is never published again (409); with an `Idempotency-Key` a repeated request replays the first answer. Audited.',
  tags,
  auth: adminOnly,
  idempotent: true,
  params: z.object({ id: z.uuid('must be an event id') }),
  responses: {
    200: { description: 'The event, pending and due now', schema: stagedEventViewSchema },
    404: { description: 'No such event' },
    409: { description: 'Already published, or an attempt is under way' },
  },
  handler: async ({ params, principal, request }) => {
    const retried = await (await events()).relay.retry(params.id);
    await (await identity()).service.audit({ action: 'admin.event_retried', actorId: principal.userId, targetId: params.id, outcome: 'success' }, clientInfo(request));
    return { body: retried };
  },
});

export const pingEvents = defineEndpoint({
  name: 'adminPingEvents',
  method: 'POST',
  route: 'v1/admin/events/ping',
  summary: 'Publish a test event (foodxchange.marketplace.ping) so a consumer can check its subscription',
  description: 'Staged and published like every event, with its own sequence per subject. With an `Idempotency-Key` a retried request is the same ping. Audited.',
  tags,
  auth: adminOnly,
  idempotent: true,
  body: pingBody,
  responses: { 202: { description: 'Staged: the event exactly as consumers will receive it', schema: outboundEventSchema(marketplacePing) } },
  handler: async ({ body, principal, request, context, effectId }) => {
    const event = await (await events()).pings.send(principal.userId, body, effectId ?? context.invocationId);
    await (await identity()).service.audit(
      { action: 'admin.event_pinged', actorId: principal.userId, targetId: event.id, outcome: 'success', details: { subject: event.subject } },
      clientInfo(request),
    );
    return { status: 202, body: event };
  },
});
