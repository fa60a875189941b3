import twilio from 'twilio';
import type { WhatsAppMessage, WhatsAppSender } from '../../domain/notifications/whatsapp';

/** Azure: Twilio's Messages API through its official client, on the `whatsapp:` channel. */
export class TwilioWhatsAppSender implements WhatsAppSender {
  constructor(private readonly client: twilio.Twilio, private readonly from: string) {}

  static connect(accountSid: string, authToken: string, from: string): TwilioWhatsAppSender {
    return new TwilioWhatsAppSender(twilio(accountSid, authToken), from);
  }

  /** Twilio has no idempotency key for messages; the caller's notice record is what keeps a message once-only. */
  async send(message: WhatsAppMessage): Promise<void> {
    await this.client.messages.create({ from: `whatsapp:${this.from}`, to: `whatsapp:${message.to}`, body: message.text });
  }
}
