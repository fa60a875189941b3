import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { authTokens } from '../../../../../shared/domain/identity/containers';
import { AccessTokens } from '../../../../../shared/domain/identity/access-tokens';
import { generateKeyMaterial, type KeyMaterial, type KeyMaterialStore, rotateSigningKey } from '../../../../../shared/domain/identity/key-ring';
import { OneTimeTokens } from '../../../../../shared/domain/identity/one-time-tokens';
import type { OneTimeTokenRecord } from '../../../../../shared/domain/identity/records';

afterEach(() => vi.useRealTimers());

class MemoryKeys implements KeyMaterialStore {
  constructor(public material: KeyMaterial) {}
  async load() {
    return this.material;
  }
  async save(material: KeyMaterial) {
    this.material = material;
  }
}

const settings = { issuer: 'https://issuer.test', audience: 'api.test', ttlSeconds: 900 };
const claims = { userId: 'u1', sessionId: 's1', roles: ['client' as const] };

describe('signing-key rotation', () => {
  it('signs with the new key and still verifies tokens of the old one until they expire', async () => {
    const keys = new MemoryKeys(await generateKeyMaterial());
    const before = new AccessTokens(keys, settings);
    const old = await before.issue(claims);

    await keys.save(await rotateSigningKey(keys.material));
    const after = new AccessTokens(keys, settings);
    const fresh = await after.issue(claims);
    const kid = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    expect(kid(fresh.token)).not.toBe(kid(old.token));
    await expect(after.verify(old.token)).resolves.toMatchObject({ userId: 'u1' });
    expect((await after.keyRing()).jwks().keys).toHaveLength(2);

    // Once every token the old key signed has expired, the key is dropped.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (settings.ttlSeconds + 120) * 1000);
    const later = new AccessTokens(keys, settings);
    expect((await later.keyRing()).jwks().keys).toHaveLength(1);
    await expect(later.verify(old.token)).rejects.toThrow(/expired|unknown key/);
  });

  it('reloads the key ring when a token names a kid it does not know (another instance rotated)', async () => {
    const keys = new MemoryKeys(await generateKeyMaterial());
    const verifier = new AccessTokens(keys, settings);
    await verifier.keyRing();
    await keys.save(await rotateSigningKey(keys.material));
    const token = (await new AccessTokens(keys, settings).issue(claims)).token;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sessionId: 's1' });
  });
});

describe('access-token verification', () => {
  const expiry = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;

  it('remembers a verified token only as long as a new verification would accept it: its expiry plus the 5 s clock tolerance', async () => {
    const keys = new MemoryKeys(await generateKeyMaterial());
    const remembering = new AccessTokens(keys, { ...settings, ttlSeconds: 60 });
    const { token } = await remembering.issue(claims);
    await expect(remembering.verify(token)).resolves.toMatchObject({ userId: 'u1' });
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const [at, outcome] of [
      [expiry(token) + 4_999, 'accepted'],
      [expiry(token) + 5_000, 'expired'],
    ] as const) {
      vi.setSystemTime(at);
      const fresh = new AccessTokens(keys, { ...settings, ttlSeconds: 60 });
      for (const tokens of [remembering, fresh]) {
        if (outcome === 'accepted') await expect(tokens.verify(token)).resolves.toMatchObject({ userId: 'u1' });
        else await expect(tokens.verify(token)).rejects.toThrow(/expired/);
      }
    }
  });

  it('refuses a remembered token once the key ring it was verified with is reloaded without its key', async () => {
    const keys = new MemoryKeys(await generateKeyMaterial());
    const verifier = new AccessTokens(keys, settings);
    const { token } = await verifier.issue(claims);
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'u1' });
    // The key is withdrawn (all new material); a token of the new key makes this instance reload its ring.
    keys.material = await generateKeyMaterial();
    const fromNewKey = (await new AccessTokens(keys, settings).issue(claims)).token;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    await expect(verifier.verify(fromNewKey)).resolves.toMatchObject({ userId: 'u1' });
    await expect(verifier.verify(token)).rejects.toThrow(/unknown key/);
  });
});

describe('single-use tokens', () => {
  it('expire, and are used once even by concurrent requests', async () => {
    const container = await SqliteDocumentStore.open(':memory:').container<OneTimeTokenRecord>(authTokens);
    const tokens = new OneTimeTokens(container);
    const { token } = await tokens.issue('password-reset', 'u1', 60);
    await expect(tokens.peek('verify-email', token, 'body.token')).rejects.toThrow(/not valid/);
    const record = await tokens.peek('password-reset', token, 'body.token');
    const results = await Promise.allSettled([tokens.consume(record, 'body.token'), tokens.consume(record, 'body.token')]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);

    const second = await tokens.issue('password-reset', 'u1', 60);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 59_000);
    await expect(tokens.peek('password-reset', second.token, 'body.token')).resolves.toBeTruthy();
    vi.setSystemTime(Date.now() + 2_000);
    await expect(tokens.peek('password-reset', second.token, 'body.token')).rejects.toThrow(/expired|not valid/);
  });
});
