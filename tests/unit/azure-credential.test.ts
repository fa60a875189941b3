import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAzureCredential, getAzureCredential } from '../../shared/azure-credential';
import { resetConfigForTests } from '../../shared/config';
import { getBlobServiceClient, getDocumentStore, getDocumentTextExtractor, resetContainerForTests } from '../../shared/container';
import { keyMaterialStore } from '../../shared/identity-container';
import { getSemanticSignals } from '../../shared/semantic-container';
import { requireRealtime } from '../../shared/realtime-container';
import { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';

// Every credential the app creates is recorded: the adapters must share one.
const created = vi.hoisted(() => [] as { kind: string; args: unknown[] }[]);
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
    };
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

beforeEach(() => {
  created.length = 0;
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetConfigForTests();
  resetContainerForTests();
});

describe('the Azure credential', () => {
  it('is the user-assigned managed identity named by AZURE_CLIENT_ID in Azure, the system-assigned one without it, DefaultAzureCredential elsewhere', () => {
    createAzureCredential({ env: 'azure', azureIdentity: { clientId: CLIENT_ID } });
    createAzureCredential({ env: 'azure', azureIdentity: {} });
    createAzureCredential({ env: 'local', azureIdentity: { clientId: CLIENT_ID } });
    expect(created).toEqual([
      { kind: 'managedIdentity', args: [{ clientId: CLIENT_ID }] },
      { kind: 'managedIdentity', args: [] },
      { kind: 'default', args: [] },
    ]);
  });

  it('is created once and handed to Blob, Cosmos DB, Key Vault, Document Intelligence, Azure OpenAI and Web PubSub', async () => {
    for (const [name, value] of Object.entries(AZURE)) vi.stubEnv(name, value);
    resetConfigForTests();
    resetContainerForTests();
    const credential = getAzureCredential();
    expect(getBlobServiceClient()?.credential).toBe(credential);
    getDocumentStore();
    getDocumentTextExtractor();
    await keyMaterialStore();
    expect(getSemanticSignals()).toBeDefined();
    resetContainerForTests(SqliteDocumentStore.open(':memory:')); // presence keeps its leases in the store
    await requireRealtime();
    expect(getAzureCredential()).toBe(credential);
    expect(created).toEqual([{ kind: 'managedIdentity', args: [{ clientId: CLIENT_ID }] }]);
  });
});
