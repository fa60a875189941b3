import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { type Config, getConfig } from './config';

/**
 * The one Entra ID credential of the app: every Azure adapter (Cosmos DB, Blob, Key Vault,
 * Azure OpenAI, Document Intelligence, Web PubSub) gets this object instead of making its own,
 * so tokens are cached once per process. In Azure it is the app's managed identity and nothing
 * else (the user-assigned one that AZURE_CLIENT_ID names, else the system-assigned one), so a
 * missing role fails as itself instead of as a chain of other credentials; elsewhere it is
 * DefaultAzureCredential (az login, environment variables, ...).
 */
export function createAzureCredential(config: Pick<Config, 'env' | 'azureIdentity'>): TokenCredential {
  if (config.env !== 'azure') return new DefaultAzureCredential();
  return config.azureIdentity.clientId ? new ManagedIdentityCredential({ clientId: config.azureIdentity.clientId }) : new ManagedIdentityCredential();
}

let built: { config: Config; credential: TokenCredential } | undefined;

/** The credential for the current settings, created on first use (again only when tests change the settings). */
export function getAzureCredential(): TokenCredential {
  const config = getConfig();
  if (built?.config !== config) built = { config, credential: createAzureCredential(config) };
  return built.credential;
}
