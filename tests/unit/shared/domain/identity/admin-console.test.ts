import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../../shared/domain/identity/principal';
import type { IdentityModule } from '../../../../../shared/domain/identity/module';
import type { Mailer } from '../../../../../shared/domain/notifications/ports';
import { tempDir } from '../../../../helpers/host-process';
import { testApp } from '../../../../helpers/test-app';

// The admin console as the app composes it: each use case does its work and leaves one audit
// record naming the admin and where they called from; a refused one leaves none.
const client = { ip: '192.0.2.44', userAgent: 'admin-console-test' };
const PASSWORD = 'Quiet-Harbour-Lantern-42';
let identity: IdentityModule;
let admin: Principal;
let mailFails: boolean;

beforeEach(async () => {
  mailFails = true;
  const mailer: Mailer = {
    send: async () => {
      if (mailFails) throw new Error('mail provider down');
      return { provider: 'test', messageId: 'm-1', status: 'accepted' };
    },
  };
  const app = testApp(
    { LOCAL_HOST_DATA_DIR: tempDir('fx-admin-console-'), LOG_LEVEL: 'error', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1', OUTBOX_MAX_ATTEMPTS: '1' },
    { mailer: async () => mailer },
  );
  identity = await app.identity();
  await identity.service.ensureAdmin('root@example.com', 'Granite-Orchard-Falcon-77', true);
  admin = { userId: (await identity.users.byEmail('root@example.com'))!.id, sessionId: 'admin-session', roles: ['admin'] };
});

const register = (email: string, accountType: 'client' | 'expert' = 'client') =>
  identity.service.register({ email, password: PASSWORD, displayName: email.split('@')[0]!, accountType }, { ip: '198.51.100.1', userAgent: 'browser' });

/** The audit records of one action, newest first. */
const audited = async (action: string) => (await identity.audit.query({ action }, 10)).items;

describe('the admin console', () => {
  it('lists accounts as the API shows them, filtered, and audits the listing', async () => {
    await register('ana@example.com', 'expert');
    await register('ben@example.com');
    const page = await identity.admin.listUsers(admin, { role: 'expert' }, { limit: 10 }, client);
    expect(page.items.map((user) => user.email)).toEqual(['ana@example.com']);
    expect(page.items[0]).not.toHaveProperty('passwordHash');
    const [record, ...others] = await audited('admin.users_listed');
    expect(others).toEqual([]);
    expect(record).toMatchObject({ actorId: admin.userId, outcome: 'success', ip: client.ip, userAgent: client.userAgent });
    expect(record).not.toHaveProperty('targetId');
  });

  it('shows one account with its version and audits who looked; an unknown id is a 404 and no record', async () => {
    const { user } = await register('ana@example.com');
    const shown = await identity.admin.user(admin, user.id, client);
    expect(shown).toMatchObject({ id: user.id, email: 'ana@example.com', _etag: expect.any(String) });
    expect(await audited('admin.user_viewed')).toMatchObject([{ actorId: admin.userId, targetId: user.id, outcome: 'success', ip: client.ip }]);
    await expect(identity.admin.user(admin, '00000000-0000-4000-8000-000000000000', client)).rejects.toMatchObject({ kind: 'not_found' });
    expect(await audited('admin.user_viewed')).toHaveLength(1);
  });

  it('suspends an account after the If-Match check, ends its sessions and audits the change; an admin cannot suspend themselves', async () => {
    const { user } = await register('ana@example.com');
    const checked: string[] = [];
    const saved = await identity.admin.updateUser(admin, user.id, { status: 'suspended' }, (etag) => void checked.push(etag), client);
    expect(saved.status).toBe('suspended');
    expect(checked).toHaveLength(1);
    expect(await identity.sessions.listLive(user.id)).toEqual([]);
    expect(await audited('admin.user_updated')).toMatchObject([{ actorId: admin.userId, targetId: user.id, details: { statusBefore: 'active', statusAfter: 'suspended' } }]);
    await expect(identity.admin.updateUser(admin, admin.userId, { status: 'suspended' }, () => undefined, client)).rejects.toMatchObject({ kind: 'unprocessable' });
    expect(await audited('admin.user_updated')).toHaveLength(1);
  });

  it('reads the audit trail and audits the reading after it (the page read does not hold its own record)', async () => {
    await register('ana@example.com');
    const page = await identity.admin.auditRecords(admin, { action: 'account.registered' }, { limit: 10 }, client);
    expect(page.items.map((record) => record.action)).toEqual(['account.registered']);
    const everything = await identity.admin.auditRecords(admin, {}, { limit: 50 }, client);
    expect(everything.items.filter((record) => record.action === 'admin.audit_viewed')).toHaveLength(1);
    expect(await audited('admin.audit_viewed')).toHaveLength(2);
  });

  it('re-checks the hash chains and audits the verdict', async () => {
    await register('ana@example.com');
    const verdict = await identity.admin.verifyAudit(admin, client);
    expect(verdict).toMatchObject({ intact: true, breaks: [], chains: 1 });
    expect(verdict.checked).toBeGreaterThan(0);
    expect(await audited('admin.audit_verified')).toMatchObject([{ actorId: admin.userId, outcome: 'success', details: { breaks: 0 } }]);
  });

  it('lists the outbox by status and audits the filter asked for', async () => {
    await register('ana@example.com'); // its verification email fails its only attempt: dead
    const dead = await identity.admin.outboxMessages(admin, 'dead', { limit: 10 }, client);
    expect(dead.items).toMatchObject([{ status: 'dead', to: expect.not.stringContaining('ana@example.com') }]);
    await identity.admin.outboxMessages(admin, undefined, { limit: 10 }, client);
    expect((await audited('admin.outbox_listed')).map((record) => record.details)).toEqual([{ status: 'any' }, { status: 'dead' }]);
  });

  it('retries a dead message, audited as a failure while it still fails and a success once sent; a sent one is not sent again (409, no record)', async () => {
    await register('ana@example.com');
    const [dead] = (await identity.admin.outboxMessages(admin, 'dead', { limit: 1 }, client)).items;
    expect((await identity.admin.retryOutboxMessage(admin, dead!.id, client)).status).toBe('dead');
    mailFails = false;
    expect((await identity.admin.retryOutboxMessage(admin, dead!.id, client)).status).toBe('sent');
    await expect(identity.admin.retryOutboxMessage(admin, dead!.id, client)).rejects.toMatchObject({ kind: 'conflict' });
    expect((await audited('admin.outbox_retried')).map(({ targetId, outcome }) => ({ targetId, outcome }))).toEqual([
      { targetId: dead!.id, outcome: 'success' },
      { targetId: dead!.id, outcome: 'failure' },
    ]);
  });
});
