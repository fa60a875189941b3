import type { MailMessage, Mailer, ProviderReceipt } from '../../domain/notifications/ports';
import { writeMessageOnce } from '../message-files';

/** Local delivery: each email becomes a text file under `<data dir>/outbox/`, so a developer can open it and click the link in it. */
export class FileMailer implements Mailer {
  constructor(
    private readonly directory: string,
    private readonly from: string,
  ) {}

  send(message: MailMessage, id: string): Promise<ProviderReceipt> {
    return writeMessageOnce(this.directory, id, `From: ${this.from}\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`);
  }
}
