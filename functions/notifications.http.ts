import { z } from 'zod';
import { requireRoles, signedIn } from '../shared/http/auth';
import { decodeCursor, encodeCursor, pageSchema, paginationQuery } from '../shared/http/pagination';
import { queryBoolean } from '../shared/http/query';
import { notificationDataSchema } from '../shared/domain/notifications/schemas';
import { defineEndpoint, notifications } from '../shared/composition';

const tags = ['notifications'];
const inbox = async () => (await notifications()).inbox;
const notificationSchema = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().optional(),
  data: notificationDataSchema.optional(),
  createdAt: z.string(),
  read: z.boolean(),
  readAt: z.string().nullable(),
});
const continuationCursor = z.object({ c: z.string() });

export const listNotifications = defineEndpoint({
  name: 'notificationsList',
  method: 'GET',
  route: 'v1/notifications',
  summary: 'Your notifications, newest first (unread=true for unread only)',
  description: 'Everything pushed live as `{type: "notification", notification}` is also kept here, so what arrived while you were offline is read here.',
  tags,
  auth: signedIn,
  query: paginationQuery.extend({ unread: queryBoolean().optional() }),
  responses: { 200: { description: 'A page of notifications', schema: pageSchema(notificationSchema) } },
  handler: async ({ query, principal }) => {
    const continuation = query.cursor ? decodeCursor(query.cursor, continuationCursor).c : undefined;
    const page = await (await inbox()).list(principal.userId, { unreadOnly: query.unread ?? false, limit: query.limit, continuation });
    return { body: { items: page.items, nextCursor: page.continuation ? encodeCursor({ c: page.continuation }) : null } };
  },
});

export const unreadCount = defineEndpoint({
  name: 'notificationsUnreadCount',
  method: 'GET',
  route: 'v1/notifications/unread-count',
  summary: 'How many of your notifications are unread',
  tags,
  auth: signedIn,
  responses: { 200: { description: 'The count', schema: z.object({ unread: z.number() }) } },
  handler: async ({ principal }) => ({ body: { unread: await (await inbox()).unreadCount(principal.userId) } }),
});

export const markRead = defineEndpoint({
  name: 'notificationsMarkRead',
  method: 'POST',
  route: 'v1/notifications/{id}/read',
  summary: 'Mark one of your notifications read',
  description: "Another user's notification is 404, as a missing one: ids are looked up in your own inbox only.",
  tags,
  auth: signedIn,
  params: z.object({ id: z.uuid('must be a notification id') }),
  responses: { 200: { description: 'The notification', schema: notificationSchema }, 404: { description: 'No such notification in your inbox' } },
  handler: async ({ params, principal }) => ({ body: await (await inbox()).markRead(principal.userId, params.id) }),
});

export const markAllRead = defineEndpoint({
  name: 'notificationsMarkAllRead',
  method: 'POST',
  route: 'v1/notifications/read-all',
  summary: 'Mark all your notifications read',
  tags,
  auth: signedIn,
  responses: { 200: { description: 'How many were unread', schema: z.object({ marked: z.number() }) } },
  handler: async ({ principal }) => ({ body: { marked: await (await inbox()).markAllRead(principal.userId) } }),
});

export const sendNotification = defineEndpoint({
  name: 'notificationsSend',
  method: 'POST',
  route: 'v1/notifications',
  summary: "Admin: put a message in a user's inbox and push it to them",
  description: 'The type is `admin.message`. Features notify users through the same `notify` function.',
  tags,
  auth: requireRoles('admin'),
  idempotent: true,
  body: z.strictObject({
    userId: z.uuid('must be a user id'),
    title: z.string().trim().min(1).max(120),
    body: z.string().trim().min(1).max(2000),
    link: z
      .string()
      .regex(/^\/[^\s]*$/, 'must be a path in the web app, such as /rfqs/123')
      .max(500)
      .optional(),
  }),
  responses: { 201: { description: 'Stored (and pushed when the user is connected)', schema: notificationSchema }, 404: { description: 'No such user' } },
  handler: async ({ body, principal, context, effectId }) => {
    const { userId, ...message } = body;
    // A send is named by the Idempotency-Key's effect (the same across a takeover after a crash), else by this invocation.
    return { status: 201, body: await (await notifications()).adminMessages.send(principal.userId, userId, message, effectId ?? context.invocationId) };
  },
});
