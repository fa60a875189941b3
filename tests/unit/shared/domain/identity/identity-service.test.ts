import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../../shared/errors';
import { tempDir } from '../../../../helpers/host-process';
import { testApp } from '../../../../helpers/test-app';

// The identity service as the app composes it, on an in-memory store and a temporary data dir.
const dataDir = tempDir('fx-identity-');
const client = { ip: '192.0.2.10', userAgent: 'vitest' };

const app = testApp({ LOCAL_HOST_DATA_DIR: dataDir, ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' });
const getIdentity = () => app.identity();
afterAll(() => vi.useRealTimers());

function resetTokenFor(email: string): string {
  const dir = path.join(dataDir, 'outbox');
  const mail = readdirSync(dir)
    .sort()
    .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    .filter((text) => text.includes(`To: ${email}`) && text.includes('Reset your password'))
    .at(-1)!;
  return decodeURIComponent(/token=(\S+)/.exec(mail)![1]!);
}

describe('password reset tokens', () => {
  it('expire after 30 minutes, and the expired link changes nothing', async () => {
    const { service } = await getIdentity();
    await service.register({ email: 'late@example.com', password: 'Quiet-Harbour-Lantern-42', displayName: 'Late', accountType: 'client' }, client);
    await service.forgotPassword('late@example.com', client);
    const token = resetTokenFor('late@example.com');

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    const error = await service.resetPassword(token, 'Velvet-Canyon-Meteor-19', client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).issues).toEqual([{ field: 'body.token', message: 'has expired; ask for a new one' }]);
    vi.useRealTimers();
    await expect(service.login('late@example.com', 'Velvet-Canyon-Meteor-19', client)).rejects.toThrow(/email or password is wrong/);
    await expect(service.login('late@example.com', 'Quiet-Harbour-Lantern-42', client)).resolves.toHaveProperty('accessToken');
  });

  it('work once within the 30 minutes', async () => {
    const { service } = await getIdentity();
    await service.register({ email: 'prompt@example.com', password: 'Quiet-Harbour-Lantern-42', displayName: 'Prompt', accountType: 'expert' }, client);
    await service.forgotPassword('prompt@example.com', client);
    const token = resetTokenFor('prompt@example.com');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 29 * 60_000);
    await service.resetPassword(token, 'Velvet-Canyon-Meteor-19', client);
    await expect(service.resetPassword(token, 'Another-Fresh-Passphrase-8', client)).rejects.toThrow(/not valid or was already used/);
    vi.useRealTimers();
  });
});

describe('admin bootstrap', () => {
  it('creates the admin once, even when instances start together, and promotes an existing account', async () => {
    const { service, users } = await getIdentity();
    const outcomes = await Promise.all([1, 2, 3].map(() => service.ensureAdmin('boss@example.com', 'Granite-Orchard-Falcon-77', true)));
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(new Set(outcomes)).toEqual(new Set(['created', 'exists']));
    expect((await users.byEmail('BOSS@example.com'))!.roles).toEqual(['admin']);

    await service.register({ email: 'ops@example.com', password: 'Quiet-Harbour-Lantern-42', displayName: 'Ops', accountType: 'agent' }, client);
    expect(await service.ensureAdmin('ops@example.com', 'ignored-for-existing', false)).toBe('promoted');
    expect((await users.byEmail('ops@example.com'))!.roles).toEqual(['agent', 'admin']);
  });
});
