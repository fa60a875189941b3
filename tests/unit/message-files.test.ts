import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileMailer } from '../../shared/adapters/mail/files';
import { FileWhatsAppSender } from '../../shared/adapters/whatsapp/files';
import { tempDir } from '../helpers/host-process';

describe('the local mail and WhatsApp files', () => {
  it('writes a message once per outbox id: a resend after a crash before the sent mark finds the first file', async () => {
    const dir = tempDir('fx-mail-files-');
    const mailer = new FileMailer(dir, 'noreply@foodxchange.dev');
    const first = await mailer.send({ to: 'maria@example.com', subject: 'You are verified', text: 'Badge on.' }, 'id-1');
    const again = await mailer.send({ to: 'maria@example.com', subject: 'You are verified', text: 'Badge on.' }, 'id-1');
    await mailer.send({ to: 'maria@example.com', subject: 'Another', text: 'x' }, 'id-2');
    expect(again).toEqual(first);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/-id-1\.txt$/);
    expect(readFileSync(path.join(dir, files[0]!), 'utf8')).toBe('From: noreply@foodxchange.dev\nTo: maria@example.com\nSubject: You are verified\n\nBadge on.\n');
  });

  it('does the same for WhatsApp messages', async () => {
    const dir = tempDir('fx-whatsapp-files-');
    const sender = new FileWhatsAppSender(dir, '+14155238886');
    await sender.send({ to: '+525512345678', text: 'Your PCQI expires in 7 days' }, 'w-1');
    await sender.send({ to: '+525512345678', text: 'Your PCQI expires in 7 days' }, 'w-1');
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
