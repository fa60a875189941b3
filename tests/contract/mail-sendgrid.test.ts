import sendgrid from '@sendgrid/mail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendGridMailer } from '../../shared/adapters/mail/sendgrid';
import { FakeSendGrid } from '../helpers/fake-sendgrid';
import { MAIL_FROM, mailerContract } from './mail.contract';

// The SendGrid adapter through the genuine SDK, its base URL pointed at a local fake of the v3
// Mail Send API (no SendGrid account here).
let fake: FakeSendGrid;
beforeAll(async () => {
  fake = await FakeSendGrid.start('SG.test-key');
});
afterAll(() => fake.stop());

/** The SDK's client is a module singleton whose API key setter resets its base URL, so the fake's URL is set after. */
function mailer(apiKey = fake.apiKey): SendGridMailer {
  const adapter = new SendGridMailer(apiKey, MAIL_FROM);
  (sendgrid as unknown as { client: { setDefaultRequest(key: string, value: string): void } }).client.setDefaultRequest('baseUrl', fake.baseUrl);
  return adapter;
}

mailerContract(
  'SendGrid (local fake of the Mail Send API)',
  async () => {
    fake.deliveries.length = 0;
    const adapter = mailer();
    return {
      mailer: adapter,
      delivered: async () => fake.deliveries.map(({ to, from, subject, text, customArgs, messageId }) => ({ to, from, subject, text, outboxId: customArgs.outboxId!, providerId: messageId })),
      refusing: async () => {
        fake.refuseNext.push({ status: 503, message: 'Service Unavailable' });
        return { mailer: adapter, reason: /Service Unavailable \(503\)/ };
      },
    };
  },
  { resend: 'again' },
);

describe('SendGrid adapter specifics', () => {
  it("reports SendGrid's own reasons for a refused message (what an admin reads as its last error)", async () => {
    const failure = await mailer()
      .send({ to: 'not-an-address', subject: 'You are verified', text: 'Badge on.' }, 'outbox-7')
      .catch((error: unknown) => error);
    expect(String(failure)).toMatch(/Bad Request \(400\)\n\s+Does not contain a valid address\.\n\s+personalizations\.0\.to\.0\.email/);
  });

  it('refuses to send with a key SendGrid does not know', async () => {
    const failure = await mailer('SG.revoked')
      .send({ to: 'maria.garcia@example.com', subject: 's', text: 't' }, 'outbox-8')
      .catch((error: unknown) => error);
    expect(String(failure)).toMatch(/Unauthorized \(401\)\n\s+The provided authorization grant is invalid, expired, or revoked/);
  });
});
