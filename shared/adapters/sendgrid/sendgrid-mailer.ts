import sendgrid from '@sendgrid/mail';
import type { MailMessage, Mailer } from '../../domain/notifications/outbox';

/** Azure: SendGrid's v3 API through its official client. */
export class SendGridMailer implements Mailer {
  constructor(apiKey: string, private readonly from: string) {
    sendgrid.setApiKey(apiKey);
  }

  async send(message: MailMessage, id: string): Promise<void> {
    await sendgrid.send({ to: message.to, from: this.from, subject: message.subject, text: message.text, customArgs: { outboxId: id } });
  }
}
