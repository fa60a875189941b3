import { z } from 'zod';
import { RFQ_EVENT_TYPES, rfqDataSchema } from './schemas';

/** What the admin read of an RFQ answers (RfqService.details), for the OpenAPI document. */
const eventType = z.enum(Object.values(RFQ_EVENT_TYPES) as [string, ...string[]]);
const outcome = z.enum(['applied', 'kept', 'ignored']);

export const rfqDetailsSchema = z
  .object({
    rfq: z.object({
      rfqId: z.string(),
      status: z.enum(['awaiting_create', 'open', 'cancelled', 'closed']),
      version: z.int().meta({ description: 'The version applied last; 0 while awaiting the create' }),
      data: rfqDataSchema.nullable(),
      ended: z.object({ type: z.enum(['cancelled', 'closed']), version: z.int(), reason: z.string().optional(), at: z.iso.datetime() }).nullable(),
      kept: z.array(z.object({ eventId: z.string(), type: eventType, version: z.int() })).meta({ description: 'Events that came before the create and wait for it' }),
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
