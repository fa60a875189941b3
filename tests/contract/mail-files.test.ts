import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileMailer } from '../../shared/adapters/mail/files';
import { tempDir } from '../helpers/host-process';
import { readMessageFiles } from '../helpers/message-files';
import { MAIL_FROM, mailerContract } from './mail.contract';

// The local mail twin: each message a text file under the data dir, for a developer to open.
mailerContract(
  'local files',
  async () => {
    const dir = tempDir('fx-mail-files-');
    return {
      mailer: new FileMailer(dir, MAIL_FROM),
      delivered: async () => readMessageFiles(dir).map(({ headers, text, outboxId, file }) => ({ to: headers.To!, from: headers.From!, subject: headers.Subject!, text, outboxId, providerId: file })),
      refusing: async () => {
        // A directory that cannot be made: its parent is a file.
        const blocked = path.join(dir, 'not-a-directory');
        writeFileSync(blocked, '');
        return { mailer: new FileMailer(path.join(blocked, 'outbox'), MAIL_FROM), reason: /ENOTDIR/ };
      },
    };
  },
  { resend: 'once' },
);

describe('local mail files specifics', () => {
  it('writes a file a developer can read, readable by its owner only, and no partial file beside it', async () => {
    const dir = tempDir('fx-mail-files-');
    const receipt = await new FileMailer(dir, MAIL_FROM).send({ to: 'maria@example.com', subject: 'You are verified', text: 'Badge on.' }, 'id-1');
    const [written] = readMessageFiles(dir);
    expect(written!.file).toMatch(/^\d{4}-.*-id-1\.txt$/);
    expect(receipt).toEqual({ provider: 'file', messageId: written!.file, status: 'written' });
    expect(statSync(path.join(dir, written!.file)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([written!.file]);
  });
});
