import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { generateKeyMaterial, parseKeyMaterial, type KeyMaterial, type KeyMaterialStore } from '../../domain/identity/key-ring';

/**
 * Key material in one Key Vault secret (JSON), read with the app's managed identity. The first
 * start generates it (the identity needs "Key Vault Secrets Officer"; afterwards "User" suffices).
 */
export class KeyVaultKeyStore implements KeyMaterialStore {
  private readonly client: SecretClient;

  constructor(vaultUri: string, private readonly secretName: string, managedIdentityClientId?: string) {
    this.client = new SecretClient(vaultUri, new DefaultAzureCredential({ managedIdentityClientId }));
  }

  async load(): Promise<KeyMaterial> {
    try {
      const secret = await this.client.getSecret(this.secretName);
      return parseKeyMaterial(secret.value ?? '');
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
    const material = await generateKeyMaterial();
    await this.save(material);
    return material;
  }

  async save(material: KeyMaterial): Promise<void> {
    await this.client.setSecret(this.secretName, JSON.stringify(material), { contentType: 'application/json' });
  }
}
