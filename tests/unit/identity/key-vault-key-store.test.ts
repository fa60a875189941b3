import { describe, expect, it } from 'vitest';
import { KeyVaultKeyStore } from '../../../shared/adapters/key-material/key-vault';
import { generateKeyMaterial } from '../../../shared/domain/identity/key-ring';

// The Key Vault adapter against a stand-in for the SDK's SecretClient (no vault here).
function vault(options: { secret?: string; saveStatus?: number } = {}) {
  const saved: { name: string; value: string }[] = [];
  const client = {
    getSecret: async (name: string) => {
      if (options.secret === undefined) throw Object.assign(new Error('SecretNotFound'), { statusCode: 404 });
      return { name, value: options.secret, properties: { name, vaultUrl: 'https://kv.test' } };
    },
    setSecret: async (name: string, value: string) => {
      if (options.saveStatus) throw Object.assign(new Error('Forbidden'), { statusCode: options.saveStatus });
      saved.push({ name, value });
      return { name, value, properties: { name, vaultUrl: 'https://kv.test' } };
    },
  };
  return { client: client as never, saved };
}

describe('Key Vault key store', () => {
  it('reads the key material from the secret', async () => {
    const material = await generateKeyMaterial();
    const { client } = vault({ secret: JSON.stringify(material) });
    expect(await new KeyVaultKeyStore(client, 'identity-keys').load()).toEqual(material);
  });

  it('generates and saves the material when the secret is absent (operator seeding)', async () => {
    const { client, saved } = vault();
    const material = await new KeyVaultKeyStore(client, 'identity-keys').load();
    expect(saved).toEqual([{ name: 'identity-keys', value: JSON.stringify(material) }]);
  });

  it('says how to seed the secret when the app may only read it', async () => {
    const { client } = vault({ saveStatus: 403 });
    await expect(new KeyVaultKeyStore(client, 'identity-keys').load()).rejects.toThrow(/missing; seed it with `npm run rotate-keys`/);
  });

  it('refuses a secret that is not key material', async () => {
    const { client } = vault({ secret: '{"signingKeys":[]}' });
    await expect(new KeyVaultKeyStore(client, 'identity-keys').load()).rejects.toThrow();
  });
});
