import { z } from 'zod';
import { pageSchema } from '../../http/pagination';
import { RFQ_EVENT_TYPES, rfqDataSchema } from './schemas';

/** What the admin read of an RFQ answers (RfqService.details), for the OpenAPI document. */
const eventType = z.enum(Object.values(RFQ_EVENT_TYPES) as [string, ...string[]]);
const outcome = z.enum(['applied', 'kept', 'ignored']);
const status = z.enum(['awaiting_create', 'open', 'cancelled', 'closed']);
const matching = z
  .object({ status: z.enum(['due', 'notifying', 'done']), version: z.int(), dueSince: z.iso.datetime(), completedAt: z.iso.datetime().optional() })
  .nullable()
  .meta({ description: 'Auto-matching: `due` once the create or a material update is stored, `notifying` once the invitations are, `done` when everyone was told' });
const nearMisses = z.array(z.object({ expertId: z.uuid(), missing: z.array(z.string()) })).meta({ description: 'Experts who came near but miss a hard requirement (what they miss); never invited' });

export const rfqDetailsSchema = z
  .object({
    rfq: z.object({
      rfqId: z.string(),
      status,
      version: z.int().meta({ description: 'The version applied last; 0 while awaiting the create' }),
      data: rfqDataSchema.nullable(),
      ended: z.object({ type: z.enum(['cancelled', 'closed']), version: z.int(), reason: z.string().optional(), at: z.iso.datetime() }).nullable(),
      kept: z.array(z.object({ eventId: z.string(), type: eventType, version: z.int() })).meta({ description: 'Events that came before the create and wait for it' }),
      matching,
      invited: z.array(z.uuid()).meta({ description: 'Every expert invited so far, oldest first' }),
      nearMisses,
      firstSeenAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    }),
    events: z.array(
      z.object({
        eventId: z.string(),
        type: eventType,
        version: z.int(),
        source: z.string(),
        outcome,
        reason: z.string().optional(),
        receivedAt: z.iso.datetime(),
        settledAt: z.iso.datetime().optional(),
      }),
    ),
  })
  .meta({ id: 'RfqDetails' });

/** GET /api/v1/rfqs/{rfqId}: what an invited expert reads; admins also see the matching. */
export const rfqForViewerSchema = z
  .object({
    rfqId: z.string(),
    status,
    version: z.int(),
    data: rfqDataSchema,
    invitedExpertIds: z.array(z.uuid()).optional().meta({ description: 'Admins only' }),
    nearMisses: nearMisses.optional().meta({ description: 'Admins only' }),
    matching: matching.optional(),
  })
  .meta({ id: 'Rfq' });

/** GET /api/v1/rfqs/invitations: one page of an expert's invitations. */
export const invitationPageSchema = pageSchema(
  z
    .object({
      rfqId: z.string(),
      version: z.int().meta({ description: 'The RFQ version whose matching invited you' }),
      invitedAt: z.iso.datetime(),
      rfq: z.object({ title: z.string(), status, responseDeadline: z.string(), urgency: z.enum(['normal', 'urgent']) }).nullable(),
    })
    .meta({ id: 'RfqInvitation' }),
);
