import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioWhatsAppSender } from '../../shared/adapters/whatsapp/twilio';
import { FakeTwilio } from '../helpers/fake-twilio';
import { WHATSAPP_FROM, whatsAppSenderContract } from './whatsapp.contract';

// The Twilio adapter through the genuine SDK and its HTTP client, the API host swapped for a
// local fake of the Messages API (no Twilio account here).
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
let fake: FakeTwilio;
beforeAll(async () => {
  fake = await FakeTwilio.start(SID, 'auth-token');
});
afterAll(() => fake.stop());

const whatsapp = (address: string) => address.replace(/^whatsapp:/, '');

whatsAppSenderContract(
  'Twilio (local fake of the Messages API)',
  async () => {
    fake.deliveries.length = 0;
    const sender = new TwilioWhatsAppSender(fake.client(), WHATSAPP_FROM);
    return {
      sender,
      delivered: async () => fake.deliveries.map(({ sid, from, to, body }) => ({ channel: to.split(':')[0]!, to: whatsapp(to), from: whatsapp(from), text: body, providerId: sid })),
      refusing: async () => {
        fake.refuseNext.push({ status: 429, code: 20429, message: 'Too Many Requests' });
        return { sender, reason: /Too Many Requests/ };
      },
    };
  },
  { resend: 'again' },
);

describe('Twilio adapter specifics', () => {
  it("reports Twilio's own reason for a refused message (what an admin reads as its last error)", async () => {
    const failure = await new TwilioWhatsAppSender(fake.client(), WHATSAPP_FROM).send({ to: '5512345678', text: 'x' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 400, code: 21211 });
    expect(String(failure)).toMatch(/Invalid 'To' Phone Number: whatsapp:5512345678/);
  });

  it('refuses to send with an auth token Twilio does not know', async () => {
    const failure = await new TwilioWhatsAppSender(fake.client('wrong-token'), WHATSAPP_FROM).send({ to: '+525512345678', text: 'x' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 401, code: 20003 });
    expect(fake.deliveries).toEqual([]);
  });
});
