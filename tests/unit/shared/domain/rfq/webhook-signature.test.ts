import { describe, expect, it } from 'vitest';
import { signatureHeader, WebhookVerifier } from '../../../../../shared/domain/rfq/webhook-signature';
import { rfqEvent } from '../../../../helpers/rfq-events';

const secret = 'a-shared-secret-of-at-least-32-characters';
const now = new Date('2026-12-07T10:00:00Z');
const t = now.getTime() / 1000;
const body = new TextEncoder().encode('{"specversion":"1.0"}');
const verifier = new WebhookVerifier(secret, () => now);

const refusal = (header: string | null, raw = body) => {
  try {
    verifier.verify(header, raw);
    return null;
  } catch (error) {
    return { kind: (error as { kind: string }).kind, message: (error as Error).message };
  }
};

describe('signed RFQ events', () => {
  it('accepts a body signed with the secret within the replay window, also among other v1 values (rotation)', () => {
    expect(refusal(signatureHeader(secret, t, body))).toBeNull();
    expect(refusal(signatureHeader(secret, t - 299, body))).toBeNull();
    expect(refusal(`t=${t},v1=${'0'.repeat(64)},${signatureHeader(secret, t, body).split(',')[1]}`)).toBeNull();
  });

  it('refuses a missing, malformed, stale, other-secret or other-body signature, saying which', () => {
    expect(refusal(null)).toEqual({ kind: 'unauthenticated', message: 'The x-foodxchange-signature header is missing.' });
    expect(refusal('v1=abc')?.message).toMatch(/exactly one t=/);
    expect(refusal(`t=${t},v1=xyz`)?.message).toMatch(/64 hex digits/);
    expect(refusal(signatureHeader(secret, t - 301, body))?.message).toMatch(/301 s from the server's clock; at most 300 s/);
    expect(refusal(signatureHeader(secret, t + 400, body))?.message).toMatch(/400 s from the server's clock/);
    expect(refusal(signatureHeader('another-secret-of-at-least-32-characters', t, body))?.message).toMatch(/does not match/);
    expect(refusal(signatureHeader(secret, t, body), new TextEncoder().encode('{"specversion":"1.1"}'))?.message).toMatch(/does not match/);
  });

  it('without a configured secret every call is a 503 that names the setting', () => {
    expect(() => new WebhookVerifier(undefined, () => now).verify(signatureHeader(secret, t, body), body)).toThrow(/RFQ_WEBHOOK_SECRET is not configured/);
  });
});

describe('receiving a signed RFQ event', () => {
  const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
  const signed = (raw: Uint8Array, contentType = 'application/cloudevents+json') => ({ signature: signatureHeader(secret, t, raw), contentType, body: raw });
  const outcome = (request: Parameters<WebhookVerifier['receive']>[0], maxBytes = 10_000) => {
    try {
      return { event: verifier.receive(request, maxBytes).id };
    } catch (error) {
      return { kind: (error as { kind: string }).kind, fields: ((error as { issues?: { field: string }[] }).issues ?? []).map((issue) => issue.field) };
    }
  };

  it('gives the event of a signed, valid CloudEvent', () => {
    expect(outcome(signed(encode(rfqEvent('created'))))).toEqual({ event: 'evt-created-1' });
  });

  it('checks the signature before reading the body: garbage with a wrong signature is a 401, not a 400', () => {
    expect(outcome({ signature: `t=${t},v1=${'0'.repeat(64)}`, contentType: 'application/json', body: encode('not json') })).toEqual({ kind: 'unauthenticated', fields: [] });
  });

  it('refuses a body over the limit, another media type, bad JSON and an invalid event, naming the fields', () => {
    const raw = encode(rfqEvent('created'));
    expect(outcome(signed(raw), raw.byteLength - 1)).toMatchObject({ kind: 'payload_too_large' });
    expect(outcome(signed(raw, 'text/plain'))).toMatchObject({ kind: 'unsupported_media_type' });
    expect(outcome(signed(encode('{"specversion":')))).toEqual({ kind: 'validation', fields: ['body'] });
    expect(outcome(signed(encode(rfqEvent('created', { data: { budget: { amountMinor: 1.5, currency: 'USD', unit: 'fixed' } } }))))).toEqual({
      kind: 'validation',
      fields: ['body.data.budget.amountMinor'],
    });
  });
});
