import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors';
import { parseRfqEvent, type RfqEvent } from './schemas';

const CLOUD_EVENT_MEDIA_TYPES = /^application\/(cloudevents\+)?json$/i;

/**
 * The signed HTTP alternative to Service Bus: `X-FoodXchange-Signature: t=<unix seconds>,v1=<hex>`
 * where v1 is HMAC-SHA256 of `<t>.<raw body>` with the shared secret. Several v1 values may be
 * sent (while the secret is being rotated); one matching is enough. A timestamp more than the
 * replay window from the server's clock is refused, so a captured request cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'x-foodxchange-signature';
export const REPLAY_WINDOW_SECONDS = 5 * 60;
/** Names the scheme in 401 answers (`WWW-Authenticate`). */
const CHALLENGE = { 'WWW-Authenticate': 'FoodXchange-Signature' };

export function signatureOf(secret: string, timestamp: number, rawBody: Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header a sender writes for `rawBody` at `timestamp` (seconds). */
export function signatureHeader(secret: string, timestamp: number, rawBody: Uint8Array): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, rawBody)}`;
}

export class WebhookVerifier {
  /** `secret` undefined: not configured, every call is a 503 (the secret is never logged or echoed). */
  constructor(
    private readonly secret: string | undefined,
    private readonly now: () => Date,
  ) {}

  /**
   * A signed request's RFQ event, checked in the order that leaks least: its size, the signature
   * over the raw bytes (before anything is parsed), the media type, the JSON and the CloudEvent
   * contract. Each refusal is a 4xx naming what is wrong.
   */
  receive(request: { signature: string | null; contentType: string | null; body: Uint8Array }, maxBytes: number): RfqEvent {
    if (request.body.byteLength > maxBytes) throw new AppError('payload_too_large', `The request body must not exceed ${maxBytes} bytes.`);
    this.verify(request.signature, request.body);
    const mediaType = (request.contentType ?? '').split(';')[0]!.trim();
    if (!CLOUD_EVENT_MEDIA_TYPES.test(mediaType)) throw new AppError('unsupported_media_type', 'The body must be a CloudEvent in JSON (Content-Type: application/json).');
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(request.body));
    } catch (error) {
      throw new AppError('validation', 'The request body is not valid JSON.', { issues: [{ field: 'body', message: (error as Error).message }] });
    }
    const parsed = parseRfqEvent(body);
    if (!parsed.ok) throw new AppError('validation', 'The event is not a valid RFQ CloudEvent.', { issues: parsed.fields.map(({ field, message }) => ({ field: `body.${field}`, message })) });
    return parsed.event;
  }

  /** Throws a 401 naming what is wrong (missing, malformed, stale, or not matching), or a 503 without a secret. */
  verify(header: string | null, rawBody: Uint8Array): void {
    if (!this.secret) throw new AppError('unavailable', 'Signed RFQ events are not accepted here: RFQ_WEBHOOK_SECRET is not configured.');
    if (!header) throw refused(`The ${SIGNATURE_HEADER} header is missing.`);
    const parts = header.split(',').map((part) => part.trim().split('='));
    const timestamps = parts.filter(([name]) => name === 't').map(([, value]) => value ?? '');
    const signatures = parts.filter(([name]) => name === 'v1').map(([, value]) => value ?? '');
    if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]!)) throw refused(`The ${SIGNATURE_HEADER} header needs exactly one t=<unix seconds>.`);
    if (!signatures.length || signatures.some((value) => !/^[0-9a-f]{64}$/i.test(value))) throw refused(`The ${SIGNATURE_HEADER} header needs v1=<64 hex digits of HMAC-SHA256>.`);
    const timestamp = Number(timestamps[0]);
    const skew = Math.abs(this.now().getTime() / 1000 - timestamp);
    if (skew > REPLAY_WINDOW_SECONDS) throw refused(`The signature's timestamp is ${Math.round(skew)} s from the server's clock; at most ${REPLAY_WINDOW_SECONDS} s are accepted.`);
    const expected = Buffer.from(signatureOf(this.secret, timestamp, rawBody), 'hex');
    // Every candidate is compared in full and in constant time, whatever matched before it.
    const matches = signatures.map((value) => timingSafeEqual(Buffer.from(value, 'hex'), expected)).includes(true);
    if (!matches) throw refused('The signature does not match the body: sign `<t>.<raw body>` with HMAC-SHA256 and the shared secret.');
  }
}

function refused(message: string): AppError {
  return new AppError('unauthenticated', message, { headers: CHALLENGE });
}
