import twilio from 'twilio';
import type { ProviderReceipt, WhatsAppMessage, WhatsAppSender } from '../../domain/notifications/ports';

/** Azure: Twilio's Messages API through its official client, on the `whatsapp:` channel. */
export class TwilioWhatsAppSender implements WhatsAppSender {
  constructor(
    private readonly client: twilio.Twilio,
    private readonly from: string,
  ) {}

  static connect(accountSid: string, authToken: string, from: string): TwilioWhatsAppSender {
    // 30 s, below the outbox's lease (Twilio's default too, stated because the lease relies on it).
    return new TwilioWhatsAppSender(twilio(accountSid, authToken, { timeout: 30_000 }), from);
  }

  /** Twilio has no idempotency key for messages; the outbox record is what keeps a message once-only. */
  async send(message: WhatsAppMessage): Promise<ProviderReceipt> {
    const sent = await this.client.messages.create({ from: `whatsapp:${this.from}`, to: `whatsapp:${message.to}`, body: message.text });
    return { provider: 'twilio', messageId: sent.sid, status: sent.status };
  }
}
