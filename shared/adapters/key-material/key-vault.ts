import type { TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { generateKeyMaterial, parseKeyMaterial, type KeyMaterial, type KeyMaterialStore } from '../../domain/identity/key-ring';

/**
 * Key material in one Key Vault secret (JSON), read with the app's managed identity, which
 * Bicep gives "Key Vault Secrets User" (read only). An operator seeds and rotates the secret
 * with `npm run rotate-keys` (KEY_VAULT_URI set, signed in with "Key Vault Secrets Officer").
 */
export class KeyVaultKeyStore implements KeyMaterialStore {
  constructor(
    private readonly client: Pick<SecretClient, 'getSecret' | 'setSecret'>,
    private readonly secretName: string,
  ) {}

  static connect(vaultUri: string, secretName: string, credential: TokenCredential): KeyVaultKeyStore {
    return new KeyVaultKeyStore(new SecretClient(vaultUri, credential), secretName);
  }

  async load(): Promise<KeyMaterial> {
    try {
      const secret = await this.client.getSecret(this.secretName);
      return parseKeyMaterial(secret.value ?? '');
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
    // Absent: generate it, which works only for an operator allowed to write secrets.
    const material = await generateKeyMaterial();
    try {
      await this.save(material);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 403) throw new Error(`Key Vault secret "${this.secretName}" is missing; seed it with \`npm run rotate-keys\` as an operator`, { cause: error });
      throw error;
    }
    return material;
  }

  async save(material: KeyMaterial): Promise<void> {
    await this.client.setSecret(this.secretName, JSON.stringify(material), { contentType: 'application/json' });
  }
}
