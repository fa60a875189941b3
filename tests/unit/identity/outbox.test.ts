import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteDocumentStore } from '../../../shared/adapters/sqlite/sqlite-document-store';
import { outbox } from '../../../shared/data/containers';
import { type MailMessage, Outbox, type OutboxRecord } from '../../../shared/domain/notifications/outbox';
import { createAppLogger } from '../../../shared/observability/app-logger';

afterEach(() => vi.useRealTimers());

describe('notifications outbox', () => {
  it('keeps a message whose delivery failed, retries it once settled, and keeps no body after sending', async () => {
    const container = await SqliteDocumentStore.open(':memory:').container<OutboxRecord>(outbox);
    const sent: MailMessage[] = [];
    let down = true;
    const logs: string[] = [];
    const mailbox = new Outbox(
      container,
      { send: async (message) => (down ? Promise.reject(new Error('smtp down')) : void sent.push(message)) },
      createAppLogger('debug', (_level, line) => logs.push(line)),
    );
    await mailbox.enqueue({ to: 'jane.doe@example.com', subject: 'Reset your password', text: 'token=secret-value' });
    const [pending] = (await container.query()).items;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/smtp down/) });
    expect(logs.join('\n')).not.toContain('jane.doe@example.com');
    expect(logs.join('\n')).toContain('j***@e***.com');

    down = false;
    expect(await mailbox.deliverPending()).toBe(0); // still young: its first delivery may be running
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await mailbox.deliverPending()).toBe(1);
    expect(sent).toEqual([{ to: 'jane.doe@example.com', subject: 'Reset your password', text: 'token=secret-value' }]);
    const [done] = (await container.query()).items;
    expect(done).toMatchObject({ status: 'sent', attempts: 2 });
    expect(done).not.toHaveProperty('text');
    expect(await mailbox.deliverPending()).toBe(0);
  });
});
