import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../../../shared/composition/root';
import { tempDir } from '../../../../helpers/host-process';
import { testApp } from '../../../../helpers/test-app';

// An admin's message as the app composes it: the user's existence comes from identity, the item
// goes to the inbox (no Web PubSub here, so it waits there).
let app: App;
let userId: string;

beforeAll(async () => {
  app = testApp({ LOCAL_HOST_DATA_DIR: tempDir('fx-admin-messages-'), LOG_LEVEL: 'error', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' });
  const { user } = await (await app.identity()).service.register(
    { email: 'dana@example.com', password: 'Quiet-Harbour-Lantern-42', displayName: 'Dana', accountType: 'client' },
    { ip: '198.51.100.7', userAgent: 'test' },
  );
  userId = user.id;
});

const message = { title: 'Audit next week', body: 'Your HACCP audit is due on Monday.', link: '/audits/12' };
const inboxOf = async (id: string) => (await (await app.notifications()).inbox.list(id, { unreadOnly: false, limit: 50 })).items;

describe("an admin's message", () => {
  it("lands in the user's inbox as admin.message, unread", async () => {
    const sent = await (await app.notifications()).adminMessages.send('admin-1', userId, message, 'send-1');
    expect(sent).toMatchObject({ type: 'admin.message', ...message, read: false, readAt: null });
    expect((await inboxOf(userId)).map((item) => item.id)).toContain(sent.id);
  });

  it('is stored once per send: the same send again is the same item; another send, or another admin, is a new one', async () => {
    const { adminMessages } = await app.notifications();
    const first = await adminMessages.send('admin-1', userId, message, 'send-2');
    expect(await adminMessages.send('admin-1', userId, message, 'send-2')).toEqual(first);
    const next = await adminMessages.send('admin-1', userId, message, 'send-3');
    const fromAnother = await adminMessages.send('admin-2', userId, message, 'send-2');
    expect(new Set([first.id, next.id, fromAnother.id]).size).toBe(3);
  });

  it('is refused for an account that does not exist (404), and stores nothing', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    await expect((await app.notifications()).adminMessages.send('admin-1', nobody, message, 'send-4')).rejects.toMatchObject({ kind: 'not_found', message: 'No such user.' });
    expect(await inboxOf(nobody)).toEqual([]);
  });
});
