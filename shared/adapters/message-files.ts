import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProviderReceipt } from '../domain/notifications/ports';

/**
 * The local twins of SendGrid and Twilio write each message as a text file, newest last by
 * name (`<time>-<outbox id>.txt`), for a developer or a test to read. The outbox id is the
 * idempotency handle those providers lack: a message already written under it is not written
 * again, so a retry after a crash between the write and the outbox's sent mark delivers once.
 * A file appears whole or not at all (written aside, then renamed).
 */
export async function writeMessageOnce(directory: string, id: string, text: string): Promise<ProviderReceipt> {
  await mkdir(directory, { recursive: true });
  const suffix = `-${id}.txt`;
  const existing = (await readdir(directory)).find((file) => file.endsWith(suffix));
  if (existing) return { provider: 'file', messageId: existing, status: 'written' };
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}${suffix}`;
  const aside = path.join(directory, `.${name}.partial`);
  await writeFile(aside, text, { mode: 0o600 });
  await rename(aside, path.join(directory, name));
  return { provider: 'file', messageId: name, status: 'written' };
}
