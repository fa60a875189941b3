import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { azureCredential } from '../../../../shared/azure-credential';
import { AzureBlobStorage } from '../../../../shared/adapters/blob/azure-blob';
import { azureBlobStorage, chooseAdapters } from '../../../../shared/composition/adapters';
import { loadConfig } from '../../../../shared/config';

// Every credential the app creates is recorded (the adapters must share one), and answers token requests itself.
const created = vi.hoisted(() => [] as { kind: string; args: unknown[] }[]);
const tokens = vi.hoisted(() => [] as string[]);
vi.mock('@azure/identity', async (importOriginal) => {
  const identity = await importOriginal<typeof import('@azure/identity')>();
  // A mixin's constructor must take any[] (TS2545).
  const recorded = <T extends new (...args: any[]) => object>(Base: T, kind: string) =>
    class extends Base {
      constructor(...args: any[]) {
        const given = structuredClone(args); // the SDK adds defaults to the options object
        super(...args);
        created.push({ kind, args: given });
      }
      async getToken(scopes: string | string[]) {
        tokens.push([scopes].flat().join(' '));
        return { token: 'token', expiresOnTimestamp: Date.now() + 3_600_000 };
      }
    } as unknown as T;
  return {
    ...identity,
    DefaultAzureCredential: recorded(identity.DefaultAzureCredential, 'default'),
    ManagedIdentityCredential: recorded(identity.ManagedIdentityCredential, 'managedIdentity'),
  };
});

const CLIENT_ID = '5b0a9c6e-2f1d-4e3c-8a7b-6c5d4e3f2a10';
/** What Bicep gives the app in Azure, less what these adapters do not read. */
const AZURE = {
  APP_ENV: 'azure',
  AZURE_CLIENT_ID: CLIENT_ID,
  AzureWebJobsStorage__accountName: 'stfx',
  COSMOS_ENDPOINT: 'https://cosmos-fx.documents.azure.com:443/',
  KEY_VAULT_URI: 'https://kv-fx.vault.azure.net/',
  DOCUMENT_INTELLIGENCE_ENDPOINT: 'https://fx-docs.cognitiveservices.azure.com/',
  AZURE_OPENAI_ENDPOINT: 'https://fx-openai.openai.azure.com/',
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small',
  WEBPUBSUB_ENDPOINT: 'https://wps-fx.webpubsub.azure.com',
  WEBPUBSUB_EVENT_TENANT_ID: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  WEBPUBSUB_EVENT_AUDIENCE: 'https://webpubsub.azure.com',
  WEBPUBSUB_EVENT_PRINCIPAL_ID: '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4',
};
const KEY = Buffer.alloc(64, 7).toString('base64');
const OPENAI = { AZURE_OPENAI_ENDPOINT: 'https://fx.openai.azure.com/', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small' };

beforeEach(() => {
  created.length = 0;
  tokens.length = 0;
});
afterEach(() => vi.unstubAllEnvs());

describe('the Azure credential', () => {
  it('is the user-assigned managed identity named by AZURE_CLIENT_ID in Azure, the system-assigned one without it, DefaultAzureCredential elsewhere', async () => {
    await azureCredential({ env: 'azure', azureIdentity: { clientId: CLIENT_ID } });
    await azureCredential({ env: 'azure', azureIdentity: {} });
    await azureCredential({ env: 'local', azureIdentity: { clientId: CLIENT_ID } });
    expect(created).toEqual([
      { kind: 'managedIdentity', args: [{ clientId: CLIENT_ID }] },
      { kind: 'managedIdentity', args: [] },
      { kind: 'default', args: [] },
    ]);
  });

  it('is one for the whole app, built with the adapters of every Azure service but created only with the first token asked for', async () => {
    const config = loadConfig(AZURE);
    const adapters = chooseAdapters(config);
    expect(adapters.blobs).not.toBeNull();
    expect((await azureBlobStorage(config, adapters.credential)).sasKind).toBe('user-delegation');
    expect(adapters.store).toBeDefined();
    expect(adapters.textExtractor).toBeDefined();
    await adapters.keys();
    expect(adapters.models).toBeDefined();
    expect(await adapters.gateway()).not.toBeNull();
    expect(created).toEqual([]);
    await adapters.credential.getToken('https://storage.azure.com/.default');
    await adapters.credential.getToken('https://vault.azure.net/.default');
    expect(created).toEqual([{ kind: 'managedIdentity', args: [{ clientId: CLIENT_ID }] }]);
    expect(tokens).toEqual(['https://storage.azure.com/.default', 'https://vault.azure.net/.default']);
  });
});

describe('blob storage', () => {
  it('is null when no storage is configured', () => {
    expect(chooseAdapters(loadConfig({})).blobs).toBeNull();
  });

  const CONNECTION = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;`;

  it('is built once, on the configured container, signing SAS with the account key of a connection string', async () => {
    const config = loadConfig({ AzureWebJobsStorage: CONNECTION, BLOB_DATA_CONTAINER: 'fx-uploads' });
    const adapters = chooseAdapters(config);
    expect(adapters.blobs).toBe(adapters.blobs);
    const storage = await azureBlobStorage(config, adapters.credential);
    expect(storage).toBeInstanceOf(AzureBlobStorage);
    expect(storage.containerName).toBe('fx-uploads');
    expect(storage.sasKind).toBe('account-key');
  });

  it('with identity-based settings signs user-delegation SAS', async () => {
    const config = loadConfig({ AzureWebJobsStorage__accountName: 'fxprodstore' });
    expect((await azureBlobStorage(config, chooseAdapters(config).credential)).sasKind).toBe('user-delegation');
  });

  it('loads its SDK with the first call, which fails as itself on an unreachable account', async () => {
    const blobs = chooseAdapters(loadConfig({ AzureWebJobsStorage: CONNECTION })).blobs!;
    await expect(blobs.exists('missing.pdf')).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});

describe('the language models', () => {
  it('are absent without Azure OpenAI settings', () => {
    expect(chooseAdapters(loadConfig({})).models).toBeUndefined();
  });

  it('come from Azure OpenAI when configured, with a re-rank only when a chat deployment is set', () => {
    expect(chooseAdapters(loadConfig(OPENAI)).models?.rerank).toBeUndefined();
    expect(chooseAdapters(loadConfig({ ...OPENAI, AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini' })).models?.rerank).toBeTypeOf('function');
  });
});
