import { createLocalJWKSet, jwtVerify } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../helpers/host-process';
import { ADMIN, api, login, mailsTo, registerUser, STRONG_PASSWORD, startIdentityHost, tokenIn, type Api } from '../helpers/identity';

let host: RunningHost;
let client: Api;

beforeAll(async () => {
  host = await startIdentityHost();
  client = api(host);
});
afterAll(async () => {
  await host?.stop();
});

const totpCode = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

describe('registration and profile', () => {
  it('registers, signs in and shows the account without any secret', async () => {
    const user = await registerUser(client, 'expert');
    const me = await client.call('GET', 'v1/auth/me', { token: user.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.user.id, email: user.email, roles: ['expert'], emailVerified: false, twoFactorEnabled: false });
    expect(JSON.stringify(me.body)).not.toMatch(/argon2|passwordHash|secret/i);
    expect(me.headers.get('etag')).toMatch(/^"/);
  });

  it('refuses role, id and emailVerified in a registration body, and admin as account type (mass assignment)', async () => {
    const response = await client.call('POST', 'v1/auth/register', {
      body: { email: 'mass@example.com', password: STRONG_PASSWORD, displayName: 'M', accountType: 'client', role: 'admin', id: 'x', emailVerified: true },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.emailVerified', 'body.id', 'body.role']);
    const admin = await client.call('POST', 'v1/auth/register', { body: { email: 'mass2@example.com', password: STRONG_PASSWORD, displayName: 'M', accountType: 'admin' } });
    expect(admin.status).toBe(400);
    expect(admin.body.errors[0].field).toBe('body.accountType');
    // Nothing was written: the address is still free.
    expect((await registerUser(client, 'client', 'mass@example.com')).user.roles).toEqual(['client']);
  });

  it('refuses weak and common passwords with the reason, and a second account for the same email', async () => {
    const weak = await client.call('POST', 'v1/auth/register', { body: { email: 'weak@example.com', password: 'password123', displayName: 'W', accountType: 'client' } });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0]).toEqual({ field: 'body.password', message: expect.stringMatching(/too weak: .*common/i) });
    const short = await client.call('POST', 'v1/auth/register', { body: { email: 'weak@example.com', password: 'aB3$', displayName: 'W', accountType: 'client' } });
    expect(short.body.errors[0].message).toMatch(/at least 10 characters/);
    const user = await registerUser(client);
    const again = await client.call('POST', 'v1/auth/register', { body: { email: user.email.toUpperCase(), password: STRONG_PASSWORD, displayName: 'Dup', accountType: 'agent' } });
    expect(again.status).toBe(409);
  });

  it('lets exactly one of two concurrent registrations of one address through', async () => {
    const body = { email: 'race@example.com', password: STRONG_PASSWORD, displayName: 'Race', accountType: 'client' };
    const results = await Promise.all([client.call('POST', 'v1/auth/register', { body }), client.call('POST', 'v1/auth/register', { body: { ...body, email: 'RACE@example.com' } })]);
    expect(results.map((result) => result.status).sort()).toEqual([201, 409]);
  });

  it('changes the profile with If-Match (428 without, 412 when stale), refuses HTML and fields it does not own', async () => {
    const user = await registerUser(client);
    const me = await client.call('GET', 'v1/auth/me', { token: user.accessToken });
    const etag = me.headers.get('etag')!;
    expect((await client.call('PATCH', 'v1/auth/me', { token: user.accessToken, body: { displayName: 'New' } })).status).toBe(428);
    const html = await client.call('PATCH', 'v1/auth/me', { token: user.accessToken, body: { bio: '<script>alert(1)</script>' }, headers: { 'if-match': etag } });
    expect(html.status).toBe(400);
    expect(html.body.errors[0]).toEqual({ field: 'body.bio', message: expect.stringMatching(/plain text/) });
    const roles = await client.call('PATCH', 'v1/auth/me', { token: user.accessToken, body: { roles: ['admin'], emailVerified: true }, headers: { 'if-match': etag } });
    expect(roles.status).toBe(400);
    expect(roles.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.emailVerified', 'body.roles']);
    const ok = await client.call('PATCH', 'v1/auth/me', { token: user.accessToken, body: { displayName: '  Ada & Co  ', bio: 'HACCP since 2009' }, headers: { 'if-match': etag } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ displayName: 'Ada & Co', bio: 'HACCP since 2009', roles: ['client'] });
    const stale = await client.call('PATCH', 'v1/auth/me', { token: user.accessToken, body: { displayName: 'Late' }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
  });
});

describe('email verification and password reset', () => {
  it('verifies the email with the emailed single-use token', async () => {
    const user = await registerUser(client);
    const token = tokenIn(mailsTo(host, user.email).find((mail) => mail.subject.includes('Confirm'))!);
    expect((await client.call('POST', 'v1/auth/verify-email', { body: { token } })).status).toBe(204);
    expect((await client.call('GET', 'v1/auth/me', { token: user.accessToken })).body.emailVerified).toBe(true);
    const reuse = await client.call('POST', 'v1/auth/verify-email', { body: { token } });
    expect(reuse.status).toBe(400);
    expect(reuse.body.errors[0].field).toBe('body.token');
    expect((await client.call('POST', 'v1/auth/verify-email/resend', { token: user.accessToken })).status).toBe(409);
  });

  it('answers forgot-password the same for unknown addresses, resets once, ends sessions, and refuses the reused token', async () => {
    const unknown = await client.call('POST', 'v1/auth/password/forgot', { body: { email: 'nobody-here@example.com' } });
    const user = await registerUser(client);
    const known = await client.call('POST', 'v1/auth/password/forgot', { body: { email: user.email } });
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(mailsTo(host, 'nobody-here@example.com')).toEqual([]);
    const token = tokenIn(mailsTo(host, user.email).find((mail) => mail.subject === 'Reset your password')!);

    const weak = await client.call('POST', 'v1/auth/password/reset', { body: { token, newPassword: 'password1234' } });
    expect(weak.status).toBe(400); // the link still works after a weak choice
    const newPassword = 'Velvet-Canyon-Meteor-19';
    expect((await client.call('POST', 'v1/auth/password/reset', { body: { token, newPassword } })).status).toBe(204);
    expect((await client.call('GET', 'v1/auth/me', { token: user.accessToken })).status).toBe(401);
    const reuse = await client.call('POST', 'v1/auth/password/reset', { body: { token, newPassword: 'Another-Fresh-Passphrase-8' } });
    expect(reuse.status).toBe(400);
    expect((await client.call('POST', 'v1/auth/login', { body: { email: user.email, password: STRONG_PASSWORD } })).status).toBe(401);
    await login(client, user.email, newPassword);
  });

  it('changes the password with the current one, ending the other sessions but not this one', async () => {
    const user = await registerUser(client);
    const other = await login(client, user.email, user.password);
    const wrong = await client.call('POST', 'v1/auth/password/change', { token: user.accessToken, body: { currentPassword: 'Not-The-Password-1', newPassword: 'Copper-Meadow-Signal-55' } });
    expect(wrong.status).toBe(400);
    expect((await client.call('POST', 'v1/auth/password/change', { token: user.accessToken, body: { currentPassword: user.password, newPassword: 'Copper-Meadow-Signal-55' } })).status).toBe(204);
    expect((await client.call('GET', 'v1/auth/me', { token: user.accessToken })).status).toBe(200);
    expect((await client.call('GET', 'v1/auth/me', { token: other.accessToken })).status).toBe(401);
    expect(mailsTo(host, user.email).some((mail) => mail.subject === 'Your password was changed')).toBe(true);
  });
});

describe('sessions and refresh tokens', () => {
  it('rotates the refresh token on every use', async () => {
    const user = await registerUser(client);
    const first = await client.call('POST', 'v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    const second = await client.call('POST', 'v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
  });

  it('revokes the whole family when a used refresh token comes back', async () => {
    const user = await registerUser(client);
    const rotated = await client.call('POST', 'v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    const replay = await client.call('POST', 'v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toMatch(/already used/);
    // The thief's and the owner's newer tokens are dead too.
    expect((await client.call('POST', 'v1/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(401);
    expect((await client.call('GET', 'v1/auth/me', { token: rotated.body.accessToken })).status).toBe(401);
  });

  it('lists sessions, revokes one, and logs out', async () => {
    const user = await registerUser(client);
    const second = await login(client, user.email, user.password);
    const list = await client.call('GET', 'v1/auth/sessions', { token: user.accessToken });
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toMatch(/hash/i);
    const otherId = list.body.items.find((session: { current: boolean }) => !session.current).id;
    expect((await client.call('DELETE', `v1/auth/sessions/${otherId}`, { token: user.accessToken })).status).toBe(204);
    expect((await client.call('GET', 'v1/auth/me', { token: second.accessToken })).status).toBe(401);
    expect((await client.call('POST', 'v1/auth/logout', { token: user.accessToken })).status).toBe(204);
    expect((await client.call('GET', 'v1/auth/me', { token: user.accessToken })).status).toBe(401);
    expect((await client.call('POST', 'v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
  });
});

describe('two-factor authentication', () => {
  it('enrols with a QR code, makes login two steps, refuses a replayed code, takes each backup code once, and turns off', async () => {
    const user = await registerUser(client);
    const setup = await client.call('POST', 'v1/auth/2fa/setup', { token: user.accessToken });
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/FoodXchange:.*secret=/);
    expect(setup.body.qrCodePng).toMatch(/^data:image\/png;base64,/);
    const enable = await client.call('POST', 'v1/auth/2fa/verify', { token: user.accessToken, body: { code: totpCode(setup.body.secret) } });
    expect(enable.status).toBe(200);
    expect(enable.body.backupCodes).toHaveLength(10);

    // Step one grants nothing by itself.
    const step1 = await client.call('POST', 'v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(step1.body).toEqual({ twoFactorRequired: true, challengeToken: expect.any(String), expiresAt: expect.any(String) });
    expect((await client.call('GET', 'v1/auth/me', { token: step1.body.challengeToken })).status).toBe(401);
    // The code used to enable cannot be used again (same step).
    const replay = await client.call('POST', 'v1/auth/login/2fa', { body: { challengeToken: step1.body.challengeToken, code: totpCode(setup.body.secret) } });
    expect(replay.status).toBe(401);
    const next = await client.call('POST', 'v1/auth/login/2fa', { body: { challengeToken: step1.body.challengeToken, code: totpCode(setup.body.secret, 1) } });
    expect(next.status).toBe(200);
    expect(next.body.accessToken).toEqual(expect.any(String));
    // The challenge is single use.
    expect((await client.call('POST', 'v1/auth/login/2fa', { body: { challengeToken: step1.body.challengeToken, code: enable.body.backupCodes[0] } })).status).toBe(400);

    const again = await client.call('POST', 'v1/auth/login', { body: { email: user.email, password: user.password } });
    const backup = enable.body.backupCodes[0].toLowerCase();
    expect((await client.call('POST', 'v1/auth/login/2fa', { body: { challengeToken: again.body.challengeToken, code: backup } })).status).toBe(200);
    const third = await client.call('POST', 'v1/auth/login', { body: { email: user.email, password: user.password } });
    expect((await client.call('POST', 'v1/auth/login/2fa', { body: { challengeToken: third.body.challengeToken, code: backup } })).status).toBe(401);

    const off = await client.call('POST', 'v1/auth/2fa/disable', { token: next.body.accessToken, body: { password: user.password, code: enable.body.backupCodes[1] } });
    expect(off.status).toBe(204);
    expect((await login(client, user.email, user.password)).accessToken).toEqual(expect.any(String));
  });
});

describe('admin', () => {
  it('bootstraps the admin from settings; admins grant roles and suspend (with If-Match), and every step is audited', async () => {
    const admin = await login(client, ADMIN.email, ADMIN.password);
    expect(admin.user.roles).toEqual(['admin']);
    const user = await registerUser(client, 'agent');
    const list = await client.call('GET', `v1/admin/users?role=agent&email=${encodeURIComponent(user.email)}`, { token: admin.accessToken });
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([user.user.id]);

    const read = await client.call('GET', `v1/admin/users/${user.user.id}`, { token: admin.accessToken });
    const grant = await client.call('PATCH', `v1/admin/users/${user.user.id}`, { token: admin.accessToken, body: { roles: ['agent', 'expert'] }, headers: { 'if-match': read.headers.get('etag')! } });
    expect(grant.status).toBe(200);
    // The change applies to the user's next request, without signing in again.
    expect((await client.call('GET', 'v1/auth/me', { token: user.accessToken })).body.roles).toEqual(['agent', 'expert']);
    const stale = await client.call('PATCH', `v1/admin/users/${user.user.id}`, { token: admin.accessToken, body: { status: 'suspended' }, headers: { 'if-match': read.headers.get('etag')! } });
    expect(stale.status).toBe(412);
    const suspend = await client.call('PATCH', `v1/admin/users/${user.user.id}`, { token: admin.accessToken, body: { status: 'suspended' }, headers: { 'if-match': grant.headers.get('etag')! } });
    expect(suspend.status).toBe(200);
    expect((await client.call('GET', 'v1/auth/me', { token: user.accessToken })).status).toBe(401);
    expect((await client.call('POST', 'v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(403);

    const self = await client.call('GET', `v1/admin/users/${admin.user.id}`, { token: admin.accessToken });
    const demote = await client.call('PATCH', `v1/admin/users/${admin.user.id}`, { token: admin.accessToken, body: { roles: ['client'] }, headers: { 'if-match': self.headers.get('etag')! } });
    expect(demote.status).toBe(422);

    const audit = await client.call('GET', `v1/admin/audit?targetId=${user.user.id}&action=admin.user_updated`, { token: admin.accessToken });
    expect(audit.body.items).toHaveLength(2);
    expect(audit.body.items[0]).toMatchObject({ actorId: admin.user.id, details: { statusBefore: 'active', statusAfter: 'suspended' } });
    const verify = await client.call('GET', 'v1/admin/audit/verify', { token: admin.accessToken });
    expect(verify.body).toMatchObject({ intact: true, breaks: [] });
    expect(verify.body.checked).toBeGreaterThan(5);
  });

  it('publishes the signing key in the JWKS', async () => {
    const jwks = await client.call('GET', 'v1/auth/.well-known/jwks.json');
    expect(jwks.headers.get('content-type')).toMatch(/jwk-set\+json/);
    const user = await registerUser(client);
    const kid = JSON.parse(Buffer.from(user.accessToken.split('.')[0]!, 'base64url').toString()).kid;
    expect(jwks.body.keys).toEqual([expect.objectContaining({ kid, alg: 'ES256', kty: 'EC', crv: 'P-256' })]);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
    // Another service can verify our tokens from the JWKS alone.
    const { payload } = await jwtVerify(user.accessToken, createLocalJWKSet(jwks.body), {
      algorithms: ['ES256'],
      issuer: 'https://foodxchange.dev/identity',
      audience: 'foodxchange-marketplace-api',
    });
    expect(payload).toMatchObject({ sub: user.user.id, roles: ['client'], sid: expect.any(String) });
  });
});
