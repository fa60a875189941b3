import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProviderReceipt } from '../../domain/notifications/outbox';
import type { WhatsAppMessage, WhatsAppSender } from '../../domain/notifications/whatsapp';

/**
 * Local delivery, like the local mailer: each message becomes a text file under
 * `<data dir>/whatsapp/`, newest last by name, for a developer (or a test) to read.
 */
export class FileWhatsAppSender implements WhatsAppSender {
  constructor(private readonly directory: string, private readonly from: string) {}

  async send(message: WhatsAppMessage, id: string): Promise<ProviderReceipt> {
    await mkdir(this.directory, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.txt`;
    await writeFile(path.join(this.directory, name), `From: whatsapp:${this.from}\nTo: whatsapp:${message.to}\n\n${message.text}\n`, { mode: 0o600 });
    return { provider: 'file', messageId: name, status: 'written' };
  }
}
