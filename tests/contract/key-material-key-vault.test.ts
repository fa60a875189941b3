import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultKeyStore } from '../../shared/adapters/key-material/key-vault';
import { FakeKeyVault, KEY_VAULT_SCOPE } from '../helpers/fake-key-vault';
import { keyMaterialContract } from './key-material.contract';

// The Key Vault adapter through the genuine SDK (its challenge-based authentication included),
// against a local fake of the secrets REST API (no vault here).
let vault: FakeKeyVault;
let secrets = 0;
beforeAll(async () => {
  vault = await FakeKeyVault.start();
});
afterAll(() => vault.stop());

/** The vault is on 127.0.0.1, which no challenge resource (vault.azure.net) can match: the SDK's domain check is off for it. */
const keyStore = (name: string) =>
  new KeyVaultKeyStore(new SecretClient(vault.vaultUri, vault.credential, { agent: vault.agent, disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } }), name);

keyMaterialContract('Key Vault (local fake of the secrets API)', async () => {
  const name = `identity-keys-${++secrets}`;
  return {
    store: () => keyStore(name),
    seed: async (raw) => {
      vault.secrets.set(name, [...(vault.secrets.get(name) ?? []), { version: `seeded${secrets}`, value: raw, created: 0 }]);
    },
    stored: async () => vault.latest(name)?.value,
  };
});

describe('Key Vault adapter specifics', () => {
  it("answers the vault's challenge with a token for the vault's scope", async () => {
    await keyStore('identity-keys-scope').load();
    expect(vault.requestedScopes).toContain(KEY_VAULT_SCOPE);
  });

  it('stores the material as a JSON secret, each save a new version, and loads the latest', async () => {
    const store = keyStore('identity-keys-versions');
    const first = await store.load();
    await store.save(first);
    expect(vault.secrets.get('identity-keys-versions')).toHaveLength(2);
    expect(vault.latest('identity-keys-versions')).toMatchObject({ contentType: 'application/json' });
    expect(await store.load()).toEqual(first);
  });

  it('says how to seed the secret when the app may only read it (Key Vault Secrets User), storing nothing', async () => {
    vault.readOnly = true;
    try {
      await expect(keyStore('identity-keys-absent').load()).rejects.toThrow(/Key Vault secret "identity-keys-absent" is missing; seed it with `npm run rotate-keys` as an operator/);
      expect(vault.secrets.has('identity-keys-absent')).toBe(false);
    } finally {
      vault.readOnly = false;
    }
  });
});
