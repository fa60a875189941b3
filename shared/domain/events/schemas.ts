import { z } from 'zod';

/** The Service Bus topic the marketplace publishes on (bicep/service-bus.bicep). */
export const EVENTS_TOPIC = 'marketplace-events';
/** The relay's own subscription on that topic: each copy it receives confirms one event as published. */
export const RELAY_SUBSCRIPTION = 'event-relay';
/** The CloudEvents `source` of everything the marketplace publishes. */
export const EVENT_SOURCE = 'foodxchange/expert-marketplace';

export const EVENT_STATUSES = ['pending', 'published', 'dead'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** `sequence` is a string compared character by character (the CloudEvents sequence extension), so it is zero-padded. */
const SEQUENCE_DIGITS = 16;

export function formatSequence(sequence: number): string {
  return String(sequence).padStart(SEQUENCE_DIGITS, '0');
}

/** Reverse-DNS event types under `foodxchange.`, e.g. `foodxchange.rfq.matched`. */
export const EVENT_TYPE = /^foodxchange(\.[a-z][a-z0-9_]*)+$/;

/**
 * The envelope of every outbound event: a CloudEvents 1.0 structured JSON message (the Service Bus
 * message body), with two extension attributes: `sequence` (the event's position among the events
 * of its `subject`, 1, 2, 3 ... without gaps) and `partitionkey` (the CloudEvents partitioning
 * extension: events with the same key are causally related; it also tells the relay where the
 * event is stored). The schema each type gives `data` narrows it (see `outboundEventSchema`).
 */
export const cloudEventSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: z.uuid().describe('Derived from the event’s cause: a redelivery carries the same id. Consumers deduplicate on it'),
    source: z.literal(EVENT_SOURCE),
    type: z.string().regex(EVENT_TYPE).describe('What happened, e.g. foodxchange.rfq.matched'),
    time: z.iso.datetime().describe('When it happened (when the change that caused it was written)'),
    subject: z.string().min(1).max(200).describe('What it happened to, e.g. the RFQ id; sequence counts per subject'),
    datacontenttype: z.literal('application/json'),
    sequence: z
      .string()
      .regex(/^\d{16}$/)
      .describe('1, 2, 3 ... per subject, zero-padded to 16 digits so that string order is numeric order; no gaps, no repeats'),
    partitionkey: z.string().min(1).describe('Events with the same key are related (CloudEvents partitioning extension)'),
    data: z.unknown(),
  })
  .describe('A CloudEvents 1.0 event in structured JSON mode');

export type CloudEvent<D = unknown> = Omit<z.output<typeof cloudEventSchema>, 'data'> & { data: D };

/** An outbound event as admins see it: its envelope without `data` (it may carry personal data), and where it is on its way to the topic. */
export const stagedEventViewSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  subject: z.string(),
  sequence: z.string(),
  time: z.iso.datetime(),
  cause: z.string().describe('Why the event exists; its id is derived from it'),
  status: z.enum(EVENT_STATUSES).describe('`pending` until the topic has it, `published`, or `dead` after the last attempt (later events of its subject wait behind it)'),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable().describe('While pending: when it is sent (again) unless the topic confirms it first'),
  lastError: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  deadAt: z.iso.datetime().nullable(),
});

export type StagedEventView = z.output<typeof stagedEventViewSchema>;

/** Where a page of the admin list ends: the last event's staging time and id (the list's order). */
export const eventListPosition = z.object({ stagedAt: z.iso.datetime(), id: z.uuid() });
export type EventListPosition = z.output<typeof eventListPosition>;

/** An admin's test event: consumers see it on the topic like any other. */
export const pingBody = z.strictObject({
  subject: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'must be 1-100 letters, digits, . _ : -')
    .default('ping')
    .describe('The stream the ping belongs to (its sequence counts per subject)'),
  note: z.string().max(500).optional(),
});
