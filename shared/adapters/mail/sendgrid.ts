import sendgrid from '@sendgrid/mail';
import type { MailMessage, Mailer, ProviderReceipt } from '../../domain/notifications/ports';

/** Below the outbox's lease, so an attempt ends before another instance may take the message over. */
const TIMEOUT_MS = 30_000;

/**
 * Azure: SendGrid's v3 API through its official client. Its Mail Send API takes no idempotency
 * key, so a retry after a lost answer can deliver twice; the outbox id goes along as a custom
 * arg (it comes back in SendGrid's event webhook and activity feed) to tell such twins apart.
 */
export class SendGridMailer implements Mailer {
  constructor(
    apiKey: string,
    private readonly from: string,
  ) {
    sendgrid.setApiKey(apiKey);
    sendgrid.setTimeout(TIMEOUT_MS);
  }

  async send(message: MailMessage, id: string): Promise<ProviderReceipt> {
    const [response] = await sendgrid.send({ to: message.to, from: this.from, subject: message.subject, text: message.text, customArgs: { outboxId: id } });
    const messageId = response.headers['x-message-id'];
    return { provider: 'sendgrid', messageId: typeof messageId === 'string' ? messageId : null, status: String(response.statusCode) };
  }
}
