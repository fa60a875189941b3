import { z } from 'zod';
import { PRESENCE_STATUSES } from '../shared/domain/realtime/presence';
import { requireRoles, signedIn } from '../shared/http/auth';
import { defineEndpoint, realtime } from '../shared/composition';

const tags = ['presence'];
const presenceSchema = z.object({
  expertId: z.string(),
  status: z.enum(PRESENCE_STATUSES).describe('offline without a live connection, else what the expert chose'),
  chosen: z.enum(PRESENCE_STATUSES),
  lastSeenAt: z.string().nullable(),
});

export const getPresence = defineEndpoint({
  name: 'presenceGet',
  method: 'GET',
  route: 'v1/experts/{id}/presence',
  summary: "An expert's presence: online, busy, away or offline, and when last seen",
  description: 'Signed-in members only: last-seen times are activity data, not for anonymous scraping. For live changes, negotiate with `watch=<id>` and join `expert:<id>`.',
  tags,
  auth: signedIn,
  params: z.object({ id: z.uuid('must be an expert user id') }),
  responses: { 200: { description: 'The presence', schema: presenceSchema }, 404: { description: 'No such expert' } },
  handler: async ({ params }) => ({ body: await (await realtime()).service.presenceOf(params.id) }),
});

export const setStatus = defineEndpoint({
  name: 'presenceSetStatus',
  method: 'PUT',
  route: 'v1/experts/status',
  summary: 'Expert: choose the status shown while connected (online, busy, away, or offline to appear offline)',
  description: 'Without a live connection an expert is shown offline whatever they chose; the choice applies from their next connection. Watchers get the change pushed.',
  tags,
  auth: requireRoles('expert'),
  body: z.strictObject({ status: z.enum(PRESENCE_STATUSES) }),
  responses: { 200: { description: 'The presence as now shown', schema: presenceSchema } },
  handler: async ({ body, principal }) => ({ body: await (await realtime()).service.choose(principal.userId, body.status) }),
});
