import { z } from 'zod';
import type { OutboxStatus, OutboxView } from './outbox';

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const satisfies readonly OutboxStatus[];

/** An outbox message as admins see it (OutboxView): never its text, the address masked. */
export const outboxMessageSchema = z.object({
  id: z.uuid(),
  cause: z.string().describe('Why the message exists, e.g. verification:<requestId>:outcome:<userId>; the id is derived from it'),
  channel: z.enum(['email', 'whatsapp']),
  status: z.enum(OUTBOX_STATUSES),
  to: z.string().describe('Masked: j***@e***.com, +*********78'),
  subject: z.string().nullable(),
  createdAt: z.iso.datetime(),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable().describe('While pending: when it is tried next'),
  lastError: z.string().nullable(),
  sentAt: z.iso.datetime().nullable(),
  receipt: z.object({ provider: z.string(), messageId: z.string().nullable(), status: z.string() }).nullable().describe("The provider's answer when it accepted the message"),
  deadAt: z.iso.datetime().nullable(),
}) satisfies z.ZodType<OutboxView>;

/** A notification's machine-readable facts beside its `link` (`{ rfqId }` on `rfq.invitation`): a few short keys and scalar values. */
export const notificationDataSchema = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'must be a short camelCase key'), z.union([z.string().max(200), z.number(), z.boolean()]))
  .refine((data) => Object.keys(data).length <= 10, 'at most 10 keys')
  .meta({ description: 'Machine-readable facts for the client to act on, e.g. `{ "rfqId": "RFQ-2026-000123" }` on `rfq.invitation`' });
