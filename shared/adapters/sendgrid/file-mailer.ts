import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MailMessage, Mailer, ProviderReceipt } from '../../domain/notifications/outbox';

/**
 * Local delivery: each email becomes a text file under `<data dir>/outbox/`, newest last by
 * name, so a developer can open it and click the link in it.
 */
export class FileMailer implements Mailer {
  constructor(private readonly directory: string, private readonly from: string) {}

  async send(message: MailMessage, id: string): Promise<ProviderReceipt> {
    await mkdir(this.directory, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.txt`;
    const text = `From: ${this.from}\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`;
    await writeFile(path.join(this.directory, name), text, { mode: 0o600 });
    return { provider: 'file', messageId: name, status: 'written' };
  }
}
