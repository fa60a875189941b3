import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { notifications } from '../../../../../shared/domain/notifications/containers';
import type { Container } from '../../../../../shared/data/document-store';
import { Inbox, type NotificationRecord } from '../../../../../shared/domain/notifications/inbox';
import type { RealtimeGateway, RealtimeMessage } from '../../../../../shared/domain/realtime/gateway';

// The inbox against the embedded store with a gateway that records pushes: one item per cause,
// pushed again while unread (pushes are at least once; clients drop ids they already show).

const logger = { debug() {}, info() {}, warn() {}, error() {} };
let container: Container<NotificationRecord>;
let pushes: { userId: string; message: RealtimeMessage }[];
let inbox: Inbox;

beforeEach(async () => {
  container = await SqliteDocumentStore.open(':memory:').container<NotificationRecord>(notifications);
  pushes = [];
  const gateway = { sendToUser: async (userId: string, message: RealtimeMessage) => void pushes.push({ userId, message }) } as unknown as RealtimeGateway;
  inbox = new Inbox(container, gateway, logger);
});

const outcome = { type: 'verification.outcome', title: 'You are verified', body: 'Your profile now carries the verified badge.' };

describe('inbox notify', () => {
  it('stores one item per cause, with an id derived from it, and returns that item each time', async () => {
    const first = await inbox.notify('u-1', outcome, 'verification:req-1:outcome:u-1');
    const again = await inbox.notify('u-1', outcome, 'verification:req-1:outcome:u-1');
    expect(again).toEqual(first);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await inbox.list('u-1', { unreadOnly: false, limit: 10 })).items).toEqual([first]);
    expect(await inbox.unreadCount('u-1')).toBe(1);

    await inbox.notify('u-1', outcome, 'verification:req-2:outcome:u-1');
    expect(await inbox.unreadCount('u-1')).toBe(2);
  });

  it('keeps a small machine-readable data object beside the link, pushed and listed as given, and refuses one that is not small scalars', async () => {
    const invitation = { type: 'rfq.invitation', title: 'New request for quote', body: 'Quote by 20 December', link: '/api/v1/rfqs/RFQ-1', data: { rfqId: 'RFQ-1' } };
    const stored = await inbox.notify('u-1', invitation, 'rfq:RFQ-1:invitation:u-1');
    expect(stored).toMatchObject({ link: '/api/v1/rfqs/RFQ-1', data: { rfqId: 'RFQ-1' } });
    expect(pushes[0]!.message).toMatchObject({ type: 'notification', notification: { data: { rfqId: 'RFQ-1' } } });
    expect((await inbox.list('u-1', { unreadOnly: false, limit: 10 })).items[0]!.data).toEqual({ rfqId: 'RFQ-1' });
    const nested = { ...invitation, data: { rfq: { id: 'RFQ-1' } } } as unknown as typeof invitation;
    await expect(inbox.notify('u-1', nested, 'c-nested')).rejects.toThrow();
    expect(await inbox.unreadCount('u-1')).toBe(1);
  });

  it('pushes the stored item again while it is unread, and not once it was read', async () => {
    const first = await inbox.notify('u-1', outcome, 'c1');
    await inbox.notify('u-1', outcome, 'c1');
    expect(pushes.map((push) => (push.message as unknown as { notification: { id: string } }).notification.id)).toEqual([first.id, first.id]);
    await inbox.markRead('u-1', first.id);
    await inbox.notify('u-1', outcome, 'c1');
    expect(pushes).toHaveLength(2);
    expect(await inbox.unreadCount('u-1')).toBe(0);
  });
});

describe('marking a notification read', () => {
  it("is a 404 for another user's notification, which stays unread; its owner marks it read", async () => {
    const inbox = new Inbox(await SqliteDocumentStore.open(':memory:').container<NotificationRecord>(notifications), null, logger);
    const item = await inbox.notify('u-1', { type: 'admin.message', title: 'Hello', body: 'A word from the team.' }, 'cause-1');
    await expect(inbox.markRead('u-2', item.id)).rejects.toMatchObject({ kind: 'not_found', message: 'No such notification in your inbox.' });
    expect((await inbox.list('u-1', { unreadOnly: true, limit: 10 })).items.map((unread) => unread.id)).toEqual([item.id]);
    expect(await inbox.markRead('u-1', item.id)).toMatchObject({ id: item.id, read: true, readAt: expect.any(String) });
  });
});
