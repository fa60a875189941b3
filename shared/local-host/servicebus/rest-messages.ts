import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { readBody } from '../http/body';
import type { ApplicationProperties, BrokerMessage, DeadLetteredMessage, OutgoingMessage } from './types';

/** The Service Bus REST API's `BrokerProperties` header (the subset a sender sets). */
const brokerProperties = z
  .object({
    MessageId: z.string().min(1).max(128).optional(),
    CorrelationId: z.string().max(128).optional(),
    SessionId: z.string().max(128).optional(),
    ContentType: z.string().optional(),
    Label: z.string().optional(),
    TimeToLive: z.number().positive().optional(),
    ScheduledEnqueueTimeUtc: z
      .string()
      .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date')
      .optional(),
  })
  .passthrough();

const batchItem = z.object({
  Body: z.string(),
  BrokerProperties: brokerProperties.optional(),
  UserProperties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

/** Headers that are HTTP plumbing, not custom message properties. */
const STANDARD_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'content-type',
  'transfer-encoding',
  'accept',
  'accept-encoding',
  'accept-language',
  'authorization',
  'user-agent',
  'brokerproperties',
  'expect',
  'keep-alive',
  'origin',
  'referer',
  'traceparent',
  'tracestate',
  'x-request-id',
  'cache-control',
  'pragma',
  'cookie',
]);

const MAX_MESSAGE_BYTES = 256 * 1024; // Service Bus Standard tier limit

export const BATCH_CONTENT_TYPE = 'application/vnd.microsoft.servicebus.json';

/** Parses a REST "Send message" (raw body) or "Send batch" request into broker messages. */
export async function parseRestMessages(req: IncomingMessage): Promise<OutgoingMessage[]> {
  const body =
    (await readBody(req, 1024 * 1024).catch(() => {
      throw new Error('The request body is larger than 1 MB.');
    })) ?? Buffer.alloc(0);
  const contentType = req.headers['content-type'];
  if (contentType?.toLowerCase().startsWith(BATCH_CONTENT_TYPE)) {
    const parsed = z
      .array(batchItem)
      .min(1)
      .safeParse(safeJson(body.toString('utf8')));
    if (!parsed.success) throw new Error(`Invalid batch: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data.map((item) => toMessage(Buffer.from(item.Body), item.BrokerProperties ?? {}, item.UserProperties ?? {}, undefined));
  }
  if (body.length > MAX_MESSAGE_BYTES) throw new Error(`The message is larger than ${MAX_MESSAGE_BYTES} bytes.`);
  const header = req.headers.brokerproperties;
  let properties: z.infer<typeof brokerProperties> = {};
  if (typeof header === 'string' && header.trim()) {
    const parsed = brokerProperties.safeParse(safeJson(header));
    if (!parsed.success) throw new Error(`Invalid BrokerProperties header: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
    properties = parsed.data;
  }
  return [toMessage(body, properties, customProperties(req), contentType)];
}

function toMessage(body: Buffer, properties: z.infer<typeof brokerProperties>, applicationProperties: ApplicationProperties, contentType: string | undefined): OutgoingMessage {
  return {
    body,
    messageId: properties.MessageId,
    correlationId: properties.CorrelationId,
    sessionId: properties.SessionId,
    contentType: properties.ContentType ?? contentType,
    subject: properties.Label,
    timeToLiveMs: properties.TimeToLive === undefined ? undefined : properties.TimeToLive * 1000,
    scheduledEnqueueTimeUtc: properties.ScheduledEnqueueTimeUtc ? new Date(properties.ScheduledEnqueueTimeUtc) : undefined,
    applicationProperties,
  };
}

/** Custom properties arrive as headers; JSON-looking values (quoted strings, numbers, booleans) are typed. */
function customProperties(req: IncomingMessage): ApplicationProperties {
  const properties: ApplicationProperties = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (STANDARD_HEADERS.has(lower) || lower.startsWith('sec-')) continue;
    const raw = req.rawHeaders[i + 1]!;
    const typed = safeJson(raw);
    properties[name] = typeof typed === 'string' || typeof typed === 'number' || typeof typed === 'boolean' ? typed : raw;
  }
  return properties;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A dead letter as the admin endpoint shows it; bodies that are not UTF-8 text are base64. */
export function toRestView(message: DeadLetteredMessage) {
  const text = message.body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(message.body);
  return {
    messageId: message.messageId,
    sequenceNumber: message.sequenceNumber,
    deliveryCount: message.deliveryCount,
    enqueuedTimeUtc: message.enqueuedTimeUtc.toISOString(),
    deadLetteredAtUtc: message.deadLetteredAtUtc.toISOString(),
    deadLetterReason: message.deadLetterReason ?? null,
    deadLetterErrorDescription: message.deadLetterErrorDescription ?? null,
    correlationId: message.correlationId ?? null,
    contentType: message.contentType ?? null,
    subject: message.subject ?? null,
    applicationProperties: message.applicationProperties,
    ...(isText ? { body: text } : { bodyBase64: message.body.toString('base64') }),
  };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A received message as the REST API answers "Receive and Delete": the body as it was sent, its
 * broker properties as the `BrokerProperties` JSON header, and its custom properties as headers
 * with JSON-quoted values (those whose name or value a header cannot carry are left out).
 */
export function toRestReceived(message: BrokerMessage): { headers: Record<string, string>; body: Buffer } {
  const properties = {
    MessageId: message.messageId,
    SequenceNumber: message.sequenceNumber,
    DeliveryCount: message.deliveryCount,
    EnqueuedTimeUtc: message.enqueuedTimeUtc.toUTCString(),
    ...(message.correlationId === undefined ? {} : { CorrelationId: message.correlationId }),
    ...(message.sessionId === undefined ? {} : { SessionId: message.sessionId }),
    ...(message.subject === undefined ? {} : { Label: message.subject }),
    ...(message.expiresAtUtc ? { TimeToLive: (message.expiresAtUtc.getTime() - message.enqueuedTimeUtc.getTime()) / 1000 } : {}),
  };
  const headers: Record<string, string> = { 'content-type': message.contentType ?? 'application/octet-stream', brokerproperties: JSON.stringify(properties) };
  for (const [name, value] of Object.entries(message.applicationProperties)) {
    const text = JSON.stringify(value);
    if (HEADER_NAME.test(name) && /^[\x20-\x7e]*$/.test(text) && !STANDARD_HEADERS.has(name.toLowerCase())) headers[name] = text;
  }
  return { headers, body: message.body };
}
