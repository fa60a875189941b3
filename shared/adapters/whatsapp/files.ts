import type { ProviderReceipt, WhatsAppMessage, WhatsAppSender } from '../../domain/notifications/ports';
import { writeMessageOnce } from '../message-files';

/** Local delivery, like the local mailer: each message becomes a text file under `<data dir>/whatsapp/`. */
export class FileWhatsAppSender implements WhatsAppSender {
  constructor(
    private readonly directory: string,
    private readonly from: string,
  ) {}

  send(message: WhatsAppMessage, id: string): Promise<ProviderReceipt> {
    return writeMessageOnce(this.directory, id, `From: whatsapp:${this.from}\nTo: whatsapp:${message.to}\n\n${message.text}\n`);
  }
}
