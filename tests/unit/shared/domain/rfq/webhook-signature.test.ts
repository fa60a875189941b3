import { describe, expect, it } from 'vitest';
import { signatureHeader, WebhookVerifier } from '../../../../../shared/domain/rfq/webhook-signature';

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
