import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileWhatsAppSender } from '../../shared/adapters/whatsapp/files';
import { tempDir } from '../helpers/host-process';
import { readMessageFiles } from '../helpers/message-files';
import { WHATSAPP_FROM, whatsAppSenderContract } from './whatsapp.contract';

// The local WhatsApp twin: each message a text file under the data dir, like the local mail.
const address = (header: string) => header.split(':') as [string, string];

whatsAppSenderContract(
  'local files',
  async () => {
    const dir = tempDir('fx-whatsapp-files-');
    return {
      sender: new FileWhatsAppSender(dir, WHATSAPP_FROM),
      delivered: async () =>
        readMessageFiles(dir).map(({ headers, text, file }) => {
          const [channel, to] = address(headers.To!);
          return { channel, to, from: address(headers.From!)[1], text, providerId: file };
        }),
      refusing: async () => {
        // A directory that cannot be made: its parent is a file.
        const blocked = path.join(dir, 'not-a-directory');
        writeFileSync(blocked, '');
        return { sender: new FileWhatsAppSender(path.join(blocked, 'whatsapp'), WHATSAPP_FROM), reason: /ENOTDIR/ };
      },
    };
  },
  { resend: 'once' },
);
