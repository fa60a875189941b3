import { z } from 'zod';
import { allowedWebhookOrigin } from '../shared/adapters/webpubsub/cloud-events';
import { getConfig } from '../shared/config';
import { MAX_WATCHED } from '../shared/domain/realtime/permissions';
import { PRESENCE_STATUSES } from '../shared/domain/realtime/presence';
import { publicAccess, requireRoles, signedIn } from '../shared/http/auth';
import { defineEndpoint, realtime } from '../shared/composition';

const tags = ['realtime'];
const service = async () => (await realtime()).service;

const watchList = z
  .string()
  .max(MAX_WATCHED * 37)
  .transform((value) =>
    value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.uuid('each watched id must be an expert user id')).max(MAX_WATCHED, `watch at most ${MAX_WATCHED} experts per connection`));

export const negotiate = defineEndpoint({
  name: 'realtimeNegotiate',
  method: 'GET',
  route: 'v1/realtime/negotiate',
  summary: 'A Web PubSub client access URL for the signed-in user',
  description:
    'The URL (valid 60 minutes) binds the connection to your user id, so notifications reach it. Experts join their own watch group at connect. ' +
    `\`watch\` (comma-separated expert ids, at most ${MAX_WATCHED}) grants joining and leaving those experts' watch groups (\`expert:<id>\`), where presence changes arrive; ` +
    'no other group may be joined, and no connection may send to a group. Negotiate again to watch others.',
  tags,
  auth: signedIn,
  query: z.object({ watch: watchList.optional() }),
  responses: {
    200: {
      description: 'Where and how to connect',
      schema: z.object({ url: z.string(), expiresAt: z.string(), hub: z.string(), userId: z.string(), groups: z.array(z.string()), roles: z.array(z.string()) }),
    },
    503: { description: 'Web PubSub is not configured' },
  },
  handler: async ({ query, principal }) => ({ body: await (await service()).negotiate(principal, query.watch ?? []) }),
});

export const broadcast = defineEndpoint({
  name: 'realtimeBroadcast',
  method: 'POST',
  route: 'v1/realtime/broadcast',
  summary: 'Admin: push an announcement to every connected client',
  description: 'Connected clients receive `{type: "announcement", title, body, sentAt}`. Not stored: it is for people online now (use notifications for what must not be missed).',
  tags,
  auth: requireRoles('admin'),
  idempotent: true,
  body: z.strictObject({ title: z.string().trim().min(1).max(120), body: z.string().trim().min(1).max(2000) }),
  responses: { 202: { description: 'Sent to the service' }, 503: { description: 'Web PubSub is not configured' } },
  handler: async ({ body }) => {
    await (await service()).announce(body);
    return { status: 202, body: { status: 'sent' } };
  },
});

const statusSchema = z.object({
  hub: z.string(),
  endpoint: z.string().nullable(),
  service: z.object({ reachable: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() }),
  connections: z.object({ live: z.number(), users: z.number() }),
  experts: z.array(z.object({ expertId: z.string(), group: z.string(), status: z.enum(PRESENCE_STATUSES), watched: z.boolean().nullable(), updatedAt: z.string() })),
});

export const status = defineEndpoint({
  name: 'realtimeStatus',
  method: 'GET',
  route: 'v1/realtime/status',
  summary: 'Admin: is Web PubSub reachable, how many live connections, which expert groups are watched',
  description:
    'Connections are the live leases in the store (every instance writes them). `experts` lists up to 50 experts shown online, newest change first, and whether anyone is in their watch group (null when the service could not be asked).',
  tags,
  auth: requireRoles('admin'),
  responses: { 200: { description: 'The real-time picture', schema: statusSchema }, 503: { description: 'Web PubSub is not configured' } },
  handler: async () => ({ body: await (await service()).status() }),
});

/** The CloudEvents headers Web PubSub sends with every event (binary mode). */
const cloudEventHeaders = z.object({
  'ce-type': z.string().regex(/^azure\.webpubsub\.(sys|user)\.[\w.-]+$/, 'must be a Web PubSub event type'),
  'ce-hub': z.string().min(1).max(128),
  'ce-connectionid': z.string().min(1).max(256),
  'ce-userid': z.string().min(1).max(256).optional(),
  // Where the app holds the access key the service signs every event; in Azure it sends a token
  // instead. ('' = absent: zod runs no check on an absent optional key.)
  'ce-signature': z
    .string()
    .max(2048)
    .default('')
    .refine((value) => value !== '' || getConfig().realtime.connection?.kind !== 'key', 'is required: events are signed with the access key'),
});

export const events = defineEndpoint({
  name: 'realtimeEvents',
  method: 'POST',
  route: 'v1/realtime/webpubsub',
  summary: "Web PubSub's event handler: connected and disconnected events (CloudEvents)",
  description:
    "Called by the Web PubSub service, not by clients: configure it as the hub's event handler for the `connected` and `disconnected` system events. " +
    'OPTIONS answers the abuse-protection handshake for the configured service only. Each event must carry the `ce-signature` HMAC of the access key, or, ' +
    "where the service has no key (Azure), an `Authorization: Bearer` Entra ID token of the service's managed identity (401 otherwise).",
  tags,
  auth: publicAccess,
  // The service calls for every user's connection from few addresses; each call is authenticated instead.
  rateLimit: 'none',
  headers: cloudEventHeaders,
  optionsHeaders: (request): Record<string, string> => {
    const endpoint = getConfig().realtime.connection?.endpoint;
    const origin = endpoint ? allowedWebhookOrigin(request.headers.get('webhook-request-origin'), endpoint) : undefined;
    return origin ? { 'webhook-allowed-origin': origin } : {};
  },
  responses: { 204: { description: 'Handled' }, 401: { description: 'Not from the configured service' }, 503: { description: 'Web PubSub is not configured' } },
  handler: async ({ headers, request }) => {
    await (await service()).handleEvent({
      type: headers['ce-type'],
      hub: headers['ce-hub'],
      connectionId: headers['ce-connectionid'],
      userId: headers['ce-userid'],
      signature: headers['ce-signature'] || undefined,
      authorization: request.headers.get('authorization'),
    });
    return { status: 204 };
  },
});
