import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../helpers/host-process';
import { api, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// Forged and altered access tokens against GET /v1/auth/me. Each case starts from a real
// session, so the only thing wrong is what the case changes; a control proves the baseline works.

let host: RunningHost;
let client: Api;
let user: Awaited<ReturnType<typeof registerUser>>;
let realKey: { kid: string; privateJwk: JWK };
let claims: Record<string, unknown>;

beforeAll(async () => {
  host = await startIdentityHost();
  client = api(host);
  user = await registerUser(client);
  realKey = JSON.parse(readFileSync(path.join(host.dataDir, 'identity-keys.json'), 'utf8')).signingKeys[0];
  claims = JSON.parse(Buffer.from(user.accessToken.split('.')[1]!, 'base64url').toString());
});
afterAll(async () => {
  await host?.stop();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const me = (token: string) => client.call('GET', 'v1/auth/me', { token });

async function signWithRealKey(payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importJWK(realKey.privateJwk, 'ES256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: realKey.kid, typ: 'at+jwt', ...header }).sign(key);
}

describe('access-token attacks are refused with 401', () => {
  it('accepts the genuine token and a token we sign with the real key and correct claims (control)', async () => {
    expect((await me(user.accessToken)).status).toBe(200);
    expect((await me(await signWithRealKey(claims))).status).toBe(200);
  });

  it('alg "none" (unsigned)', async () => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: realKey.kid })}.${b64(claims)}.`;
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('algorithm confusion: HS256 keyed with the published public key', async () => {
    const jwks = (await client.call('GET', 'v1/auth/.well-known/jwks.json')).body;
    for (const secret of [JSON.stringify(jwks.keys[0]), jwks.keys[0].x]) {
      const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: realKey.kid })}.${b64(claims)}`;
      const signature = createHmac('sha256', secret).update(input).digest('base64url');
      expect((await me(`${input}.${signature}`)).status).toBe(401);
    }
  });

  it('tampered payload (roles raised to admin) under the original signature', async () => {
    const [header, , signature] = user.accessToken.split('.');
    expect((await me(`${header}.${b64({ ...claims, roles: ['admin'] })}.${signature}`)).status).toBe(401);
  });

  it('wrong issuer, wrong audience, expired, and missing session claim, even when signed with the real key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { sid: _sid, ...withoutSession } = claims;
    for (const payload of [{ ...claims, iss: 'https://evil.example.com' }, { ...claims, aud: 'another-api' }, { ...claims, iat: now - 3600, exp: now - 60 }, withoutSession]) {
      expect((await me(await signWithRealKey(payload))).status, JSON.stringify(payload)).toBe(401);
    }
    expect((await me(await signWithRealKey(claims, { typ: 'JWT' }))).status).toBe(401);
  });

  it('signed by a key we never issued, under an unknown kid or under the real kid', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    for (const kid of ['attacker-key', realKey.kid]) {
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).sign(privateKey);
      expect((await me(token)).status).toBe(401);
    }
    // An embedded public key (jwk header) is not trusted either.
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(privateKey) }).sign(privateKey);
    expect((await me(token)).status).toBe(401);
  });

  it('a valid token whose session was revoked', async () => {
    const other = await registerUser(client);
    expect((await me(other.accessToken)).status).toBe(200);
    await client.call('POST', 'v1/auth/logout', { token: other.accessToken });
    const response = await me(other.accessToken);
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/session .* has ended/);
  });

  it('malformed Authorization headers', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt', `bearer ${user.accessToken}x.y`]) {
      const response = await client.call('GET', 'v1/auth/me', { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });
});
