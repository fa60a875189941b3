import { randomBytes } from 'node:crypto';
import type { MessageRow } from './statements';
import type { ApplicationProperties, BrokerMessage, OutgoingMessage } from './types';

/** Service Bus limit for messageId, sessionId and similar identifiers. */
const MAX_ID_LENGTH = 128;

/** An outgoing message, validated and with defaults applied, ready to be stored. */
export interface NormalizedMessage {
  messageId: string;
  body: Buffer;
  correlationId: string | null;
  sessionId: string | null;
  contentType: string | null;
  subject: string | null;
  timeToLiveMs: number | null;
  scheduledAt: number | null;
  applicationProperties: ApplicationProperties;
}

export function normalizeMessage(input: OutgoingMessage): NormalizedMessage {
  if (!input || typeof input !== 'object') throw new TypeError('A message must be an object.');
  if (!(input.body instanceof Uint8Array)) throw new TypeError('message.body must be a Buffer.');
  return {
    messageId: optionalString('messageId', input.messageId, MAX_ID_LENGTH) ?? randomBytes(16).toString('hex'),
    body: Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body),
    correlationId: optionalString('correlationId', input.correlationId, MAX_ID_LENGTH),
    sessionId: optionalString('sessionId', input.sessionId, MAX_ID_LENGTH),
    contentType: optionalString('contentType', input.contentType),
    subject: optionalString('subject', input.subject),
    timeToLiveMs: timeToLive(input.timeToLiveMs),
    scheduledAt: scheduledTime(input.scheduledEnqueueTimeUtc),
    applicationProperties: applicationProperties(input.applicationProperties),
  };
}

function optionalString(name: string, value: unknown, maxLength = Number.POSITIVE_INFINITY): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new TypeError(`message.${name} must be a non-empty string of at most ${maxLength} characters.`);
  }
  return value;
}

function timeToLive(value: unknown): number | null {
  if (value === undefined || value === null || value === Number.POSITIVE_INFINITY) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError('message.timeToLiveMs must be a positive number.');
  }
  return value;
}

function scheduledTime(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError('message.scheduledEnqueueTimeUtc must be a valid Date.');
  }
  return value.getTime();
}

function applicationProperties(value: unknown): ApplicationProperties {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('message.applicationProperties must be an object.');
  }
  const entries = Object.entries(value);
  for (const [key, item] of entries) {
    const ok = item === null || typeof item === 'string' || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item));
    if (!ok) throw new TypeError(`message.applicationProperties.${key} must be a string, finite number, boolean or null.`);
  }
  // fromEntries defines own properties, so a key like "__proto__" stays an ordinary property.
  return Object.fromEntries(entries) as ApplicationProperties;
}

/** The properties every stored message exposes, from its row. */
export function toBrokerMessage(row: MessageRow): BrokerMessage {
  const message: BrokerMessage = {
    sequenceNumber: row.sequence_number,
    messageId: row.message_id,
    body: row.body,
    deliveryCount: row.delivery_count,
    enqueuedTimeUtc: new Date(row.enqueued_at),
    expiresAtUtc: row.expires_at === null ? null : new Date(row.expires_at),
    applicationProperties: JSON.parse(row.application_properties) as ApplicationProperties,
  };
  if (row.correlation_id !== null) message.correlationId = row.correlation_id;
  if (row.session_id !== null) message.sessionId = row.session_id;
  if (row.content_type !== null) message.contentType = row.content_type;
  if (row.subject !== null) message.subject = row.subject;
  return message;
}
