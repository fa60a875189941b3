import { z } from 'zod';
import { countryCode, currencyCode, INDUSTRIES, languageCode, plainText } from '../experts/profile-schema';
import { findSpecialization } from '../experts/taxonomy';

/**
 * The contract with the FoodXchange RFQ system (issue 17): one CloudEvents 1.0 structured JSON
 * message per event on the `rfq-events` queue. These schemas validate what arrives and are the
 * source of the AsyncAPI document (`GET /api/asyncapi.json`), so the two cannot drift.
 */

export const RFQ_EVENTS_QUEUE = 'rfq-events';
export const RFQ_EVENT_SOURCE = 'foodxchange/rfq';

export const RFQ_EVENT_TYPES = {
  created: 'foodxchange.rfq.created',
  updated: 'foodxchange.rfq.updated',
  cancelled: 'foodxchange.rfq.cancelled',
  closed: 'foodxchange.rfq.closed',
} as const;

export type RfqEventType = (typeof RFQ_EVENT_TYPES)[keyof typeof RFQ_EVENT_TYPES];

/** The RFQ system's id; also the partition key and document id here, so only safe characters (no ":", which event records' ids use). */
export const rfqId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .meta({ examples: ['RFQ-2026-000123'] });

/** The RFQ's version after the change the event reports; every change raises it. */
const version = z.int().min(1).meta({ description: "The RFQ's version after this change; a change whose version is not above the stored one is older news and is ignored" });

const text = (min: number, max: number) => plainText(max).pipe(z.string().min(min));

export const buyerSchema = z
  .object({
    companyId: text(1, 100),
    companyName: text(1, 200),
    contactName: text(1, 200),
    contactEmail: z.email(),
    country: countryCode.meta({ description: 'ISO 3166-1 alpha-2' }),
  })
  .meta({ id: 'RfqBuyer' });

export const budgetSchema = z
  .object({
    amountMinor: z.int().positive().meta({ description: "Integer amount in the currency's minor unit (cents for USD: 1200000 = 12,000.00)" }),
    currency: currencyCode.meta({ description: 'ISO 4217' }),
    unit: z.enum(['fixed', 'hour']).meta({ description: '`fixed`: for the whole engagement; `hour`: per hour' }),
  })
  .meta({ id: 'RfqBudget' });

export const attachmentSchema = z
  .object({
    name: text(1, 255),
    url: z.url({ protocol: /^https$/ }).meta({ description: 'An https URL the marketplace may fetch' }),
    contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as application/pdf'),
  })
  .meta({ id: 'RfqAttachment' });

/** What the RFQ says: created and updated events carry all of it (an update replaces the whole RFQ). */
export const rfqDataSchema = z
  .object({
    rfqId,
    version,
    buyer: buyerSchema,
    title: text(3, 200),
    description: text(1, 10_000),
    specializations: z
      .array(z.string().refine((id) => findSpecialization(id) !== undefined, 'is not a known specialization (GET /api/v1/specializations)'))
      .max(20)
      .optional(),
    jurisdictions: z
      .array(z.string().regex(/^([A-Z]{2}|EU)$/, 'must be an ISO 3166-1 alpha-2 country code or EU'))
      .max(20)
      .optional(),
    languages: z.array(languageCode).max(10).optional().meta({ description: 'ISO 639-1 codes' }),
    industry: z.enum(INDUSTRIES).optional(),
    budget: budgetSchema.optional(),
    responseDeadline: z.iso.datetime({ offset: true }).meta({ description: 'When proposals close' }),
    startBy: z.iso.date().optional().meta({ description: 'When the work should start, at the latest' }),
    urgency: z.enum(['normal', 'urgent']).meta({ description: '`urgent`: a recall, an FDA 483 response, an import alert' }),
    attachments: z.array(attachmentSchema).max(20).optional(),
  })
  .meta({ id: 'RfqData' });

/** Cancelled and closed events name the RFQ, its version after the change and, optionally, why. */
export const rfqEndSchema = z
  .object({
    rfqId,
    version,
    reason: text(1, 1000).optional(),
  })
  .meta({ id: 'RfqEnd' });

export type RfqData = z.output<typeof rfqDataSchema>;
export type RfqEnd = z.output<typeof rfqEndSchema>;

/** The CloudEvents 1.0 envelope around one `type` and its `data`; extension attributes are allowed and ignored. */
function cloudEvent<T extends RfqEventType, D extends z.ZodType>(type: T, data: D, description: string) {
  return z
    .object({
      specversion: z.literal('1.0'),
      id: z.string().min(1).max(200).meta({ description: 'Unique per event; a second event with the same id has no effect. Also the Service Bus messageId' }),
      source: z
        .string()
        .min(1)
        .max(500)
        .meta({ examples: [RFQ_EVENT_SOURCE] }),
      type: z.literal(type),
      time: z.iso.datetime({ offset: true }).optional(),
      subject: z.string().min(1).max(200).optional().meta({ description: 'The rfqId, when present' }),
      datacontenttype: z.literal('application/json').optional(),
      dataschema: z.url().optional(),
      data,
    })
    .refine((event) => event.subject === undefined || event.subject === (event as { data: { rfqId: string } }).data.rfqId, {
      path: ['subject'],
      message: 'must equal data.rfqId',
    })
    .meta({ description });
}

export const rfqEventSchemas = {
  created: cloudEvent(RFQ_EVENT_TYPES.created, rfqDataSchema, 'A buyer published an RFQ').meta({ id: 'RfqCreated' }),
  updated: cloudEvent(RFQ_EVENT_TYPES.updated, rfqDataSchema, 'The RFQ changed; `data` is the whole RFQ at its new version').meta({ id: 'RfqUpdated' }),
  cancelled: cloudEvent(RFQ_EVENT_TYPES.cancelled, rfqEndSchema, 'The buyer withdrew the RFQ').meta({ id: 'RfqCancelled' }),
  closed: cloudEvent(RFQ_EVENT_TYPES.closed, rfqEndSchema, 'The RFQ stopped taking proposals').meta({ id: 'RfqClosed' }),
};

const byType = new Map<string, z.ZodType>(Object.entries(rfqEventSchemas).map(([kind, schema]) => [RFQ_EVENT_TYPES[kind as keyof typeof RFQ_EVENT_TYPES], schema]));

export type RfqEvent =
  | z.output<(typeof rfqEventSchemas)['created']>
  | z.output<(typeof rfqEventSchemas)['updated']>
  | z.output<(typeof rfqEventSchemas)['cancelled']>
  | z.output<(typeof rfqEventSchemas)['closed']>;

export interface InvalidField {
  field: string;
  message: string;
}

export type ParsedRfqEvent = { ok: true; event: RfqEvent } | { ok: false; fields: InvalidField[] };

/**
 * Reads one message body (its text, or JSON already parsed): a CloudEvent of one of the four types, its data valid. A bad
 * message says which fields are wrong (dotted paths such as `data.budget.currency`).
 */
export function parseRfqEvent(body: unknown): ParsedRfqEvent {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch (error) {
      return { ok: false, fields: [{ field: '(body)', message: `is not JSON: ${(error as Error).message}` }] };
    }
  }
  const type = (value as { type?: unknown } | null)?.type;
  const schema = typeof type === 'string' ? byType.get(type) : undefined;
  if (!schema) return { ok: false, fields: [{ field: 'type', message: `must be one of ${Object.values(RFQ_EVENT_TYPES).join(', ')}` }] };
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, event: result.data as RfqEvent };
  return { ok: false, fields: result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })) };
}

/** One line naming every failing field, for a dead letter's description (Service Bus keeps up to 4 KB of it). */
export function describeInvalidFields(fields: readonly InvalidField[]): string {
  return `Invalid fields: ${fields.map((field) => `${field.field} (${field.message})`).join('; ')}`.slice(0, 4000);
}
