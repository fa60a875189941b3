import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { TwilioWhatsAppSender } from '../../shared/adapters/whatsapp/twilio';

// The Twilio adapter through the genuine SDK, with only its HTTP client replaced: the request it
// would send to the Messages API (no Twilio account here).
const SID = `AC${'0123456789abcdef'.repeat(2)}`;

function capturing(statusCode: number, body: object) {
  const requests: { method: string; uri: string; data?: Record<string, string>; username?: string }[] = [];
  const httpClient = {
    request: async (options: (typeof requests)[number]) => {
      requests.push(options);
      return { statusCode, body, headers: {} };
    },
  };
  return { requests, client: twilio(SID, 'auth-token', { httpClient: httpClient as never }) };
}

describe('TwilioWhatsAppSender', () => {
  it("posts the message to the Messages API on the whatsapp: channel and answers with Twilio's SID", async () => {
    const { requests, client } = capturing(201, { sid: 'SM1', status: 'queued' });
    expect(await new TwilioWhatsAppSender(client, '+14155238886').send({ to: '+525512345678', text: 'Your PCQI expires in 7 days' })).toEqual({
      provider: 'twilio',
      messageId: 'SM1',
      status: 'queued',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'post',
      uri: `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`,
      data: { From: 'whatsapp:+14155238886', To: 'whatsapp:+525512345678', Body: 'Your PCQI expires in 7 days' },
    });
  });

  it("fails with Twilio's error when the API refuses the message", async () => {
    const { client } = capturing(400, { code: 63016, message: 'Failed to send freeform message because you are outside the allowed window', status: 400 });
    await expect(new TwilioWhatsAppSender(client, '+14155238886').send({ to: '+525512345678', text: 'x' })).rejects.toThrow(/outside the allowed window/);
  });
});
