import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/sqlite/sqlite-document-store';
import { notifications } from '../../../../../shared/domain/notifications/containers';
import { Inbox, type NotificationRecord } from '../../../../../shared/domain/notifications/inbox';

const logger = { debug() {}, info() {}, warn() {}, error() {} };

describe('marking a notification read', () => {
  it("is a 404 for another user's notification, which stays unread; its owner marks it read", async () => {
    const inbox = new Inbox(await SqliteDocumentStore.open(':memory:').container<NotificationRecord>(notifications), null, logger);
    const item = await inbox.notify('u-1', { type: 'admin.message', title: 'Hello', body: 'A word from the team.' }, 'cause-1');
    await expect(inbox.markRead('u-2', item.id)).rejects.toMatchObject({ kind: 'not_found', message: 'No such notification in your inbox.' });
    expect((await inbox.list('u-1', { unreadOnly: true, limit: 10 })).items.map((unread) => unread.id)).toEqual([item.id]);
    expect(await inbox.markRead('u-1', item.id)).toMatchObject({ id: item.id, read: true, readAt: expect.any(String) });
  });
});
