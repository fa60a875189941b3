import type { TokenCredential } from '@azure/identity';
import type { Config } from './config';

type CredentialSettings = Pick<Config, 'env' | 'azureIdentity'>;

/**
 * The one Entra ID credential of the app: every Azure adapter (Cosmos DB, Blob, Key Vault,
 * Azure OpenAI, Document Intelligence, Web PubSub) gets this object instead of making its own,
 * so tokens are cached once per process. `@azure/identity` (with MSAL, the heaviest import of the
 * app) loads with the first token asked for, not with the app, so a cold start does not pay for it.
 */
export function createAzureCredential(config: CredentialSettings): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    getToken: async (scopes, options) => {
      credential ??= azureCredential(config);
      return (await credential).getToken(scopes, options);
    },
  };
}

/**
 * In Azure the app's managed identity and nothing else (the user-assigned one that
 * AZURE_CLIENT_ID names, else the system-assigned one), so a missing role fails as itself
 * instead of as a chain of other credentials; elsewhere DefaultAzureCredential (az login,
 * environment variables, ...).
 */
export async function azureCredential(config: CredentialSettings): Promise<TokenCredential> {
  const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
  if (config.env !== 'azure') return new DefaultAzureCredential();
  return config.azureIdentity.clientId ? new ManagedIdentityCredential({ clientId: config.azureIdentity.clientId }) : new ManagedIdentityCredential();
}
