import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../../shared/domain/identity/principal';
import type { IdentityModule } from '../../../../../shared/domain/identity/module';
import { tempDir } from '../../../../helpers/host-process';
import { testApp } from '../../../../helpers/test-app';

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
