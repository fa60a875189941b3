import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IdentityModule } from '../../../../../shared/domain/identity/module';
import type { Principal } from '../../../../../shared/domain/identity/principal';
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

// An account's own sessions, through the identity service as the app composes it.
const PASSWORD = 'Quiet-Harbour-Lantern-42';
const phone = { ip: '198.51.100.7', userAgent: 'phone' };
const laptop = { ip: '198.51.100.8', userAgent: 'laptop' };
let identity: IdentityModule;

beforeAll(async () => {
  identity = await testApp({ LOCAL_HOST_DATA_DIR: tempDir('fx-identity-service-'), ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' }).identity();
});

/** A new account signed in on the phone and on the laptop; the caller is the phone's session. */
async function signedInTwice(email: string): Promise<{ caller: Principal; laptopSession: string }> {
  const registered = await identity.service.register({ email, password: PASSWORD, displayName: 'Dana', accountType: 'client' }, phone);
  const onLaptop = await identity.service.login(email, PASSWORD, laptop);
  if (!('refreshToken' in onLaptop)) throw new Error('expected tokens');
  const sessionOf = (refreshToken: string) => refreshToken.split('.')[0]!;
  return { caller: { userId: registered.user.id, sessionId: sessionOf(registered.refreshToken), roles: ['client'] }, laptopSession: sessionOf(onLaptop.refreshToken) };
}

describe("an account's sessions", () => {
  it('lists the live ones, newest first, marking the one the request came with', async () => {
    const { caller, laptopSession } = await signedInTwice('dana@example.com');
    const sessions = await identity.service.listSessions(caller);
    expect(sessions.map(({ id, current, userAgent, ip }) => ({ id, current, userAgent, ip }))).toEqual([
      { id: laptopSession, current: false, userAgent: 'laptop', ip: laptop.ip },
      { id: caller.sessionId, current: true, userAgent: 'phone', ip: phone.ip },
    ]);
    expect(Object.keys(sessions[0]!).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastUsedAt', 'userAgent']);
  });

  it('names the owner of a session that can still be ended, and nobody for a revoked or unknown one', async () => {
    const { caller, laptopSession } = await signedInTwice('eli@example.com');
    expect(await identity.service.sessionOwner(laptopSession)).toBe(caller.userId);
    await identity.service.revokeSession(caller, laptopSession, phone);
    expect(await identity.service.sessionOwner(laptopSession)).toBeNull();
    expect(await identity.service.sessionOwner('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('ends one session, leaving the others, and audits who ended it from where', async () => {
    const { caller, laptopSession } = await signedInTwice('fay@example.com');
    await identity.service.revokeSession(caller, laptopSession, phone);
    expect((await identity.service.listSessions(caller)).map((session) => session.id)).toEqual([caller.sessionId]);
    const records = (await identity.audit.query({ action: 'session.revoked', targetId: laptopSession }, 10)).items;
    expect(records).toMatchObject([{ actorId: caller.userId, targetId: laptopSession, outcome: 'success', ip: phone.ip, userAgent: 'phone' }]);
  });
});

describe('the token keys', () => {
  it('publishes the public key that verifies the tokens it issues, and no private part', async () => {
    const { accessToken } = await identity.service.register({ email: 'gus@example.com', password: PASSWORD, displayName: 'Gus', accountType: 'client' }, phone);
    const kid = JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString()).kid;
    const { keys } = await identity.accessTokens.jwks();
    expect(keys.map((key) => key.kid)).toContain(kid);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });
});
