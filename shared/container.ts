import { BlobServiceClient, StorageRetryPolicyType } from '@azure/storage-blob';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { getAzureCredential } from './azure-credential';
import { AzureBlobStorage } from './adapters/blob/azure-blob';
import { type Config, getConfig } from './config';
import type { DocumentStore } from './data/document-store';
import { DocumentIntelligenceExtractor } from './adapters/text-extraction/document-intelligence';
import { LocalTextExtractor } from './adapters/text-extraction/local';
import type { DocumentTextExtractor } from './domain/experts/ports';
import { createAppLogger } from './observability/app-logger';

/**
 * The composition root: builds SDK clients from config on first use and reuses them for the
 * life of the process (one client per service, as the Azure SDK guidance recommends).
 */
let blobService: BlobServiceClient | null | undefined;

const retryOptions = { retryPolicyType: StorageRetryPolicyType.EXPONENTIAL, maxTries: 4, tryTimeoutInMs: 30_000 };

/** Blob storage, or null when no storage is configured. */
export function getBlobServiceClient(): BlobServiceClient | null {
  if (blobService !== undefined) return blobService;
  const { storage } = getConfig();
  if (storage.kind === 'connectionString') {
    blobService = BlobServiceClient.fromConnectionString(storage.connectionString, { retryOptions });
  } else if (storage.kind === 'identity') {
    // Managed identity in Azure; no keys.
    blobService = new BlobServiceClient(storage.blobServiceUri, getAzureCredential(), { retryOptions });
  } else {
    blobService = null;
  }
  return blobService;
}

let blobStorage: AzureBlobStorage | null | undefined;

/** The app's data container on blob storage, or null when no storage is configured. */
export function getBlobStorage(): AzureBlobStorage | null {
  if (blobStorage === undefined) {
    const service = getBlobServiceClient();
    blobStorage = service ? new AzureBlobStorage(service, getConfig().blobDataContainer) : null;
  }
  return blobStorage;
}

let documentStore: DocumentStore | undefined;

/** The document store: Cosmos DB when configured (Azure), else the embedded SQLite file. */
export function getDocumentStore(): DocumentStore {
  if (!documentStore) {
    const { store } = getConfig();
    if (store.kind === 'cosmos') {
      // Request charges at debug, policy drift at warn. The SDK loads with the first call, not with the app.
      const credential = getAzureCredential();
      documentStore = deferredStore(
        import('./adapters/document-store/cosmos/cosmos-document-store.js').then(({ CosmosDocumentStore }) => CosmosDocumentStore.connect({ ...store, credential, logger: createAppLogger() })),
      );
    } else {
      if (store.path !== ':memory:') mkdirSync(path.dirname(path.resolve(store.path)), { recursive: true });
      documentStore = deferredStore(localAdapters().then(({ SqliteDocumentStore }) => SqliteDocumentStore.open(store.path)));
    }
  }
  return documentStore;
}

/**
 * The local twins (embedded store, mail, WhatsApp and key files), loaded only when configured:
 * the deploy package leaves them out, so in Azure every service must be configured.
 */
export function localAdapters(): Promise<typeof import('./adapters/local.js')> {
  return import('./adapters/local.js').catch((error: unknown) => {
    throw new Error('The local adapters could not be loaded (the deploy package has none: in Azure set APP_ENV=azure, COSMOS_ENDPOINT and KEY_VAULT_URI)', { cause: error });
  });
}

/** A store whose adapter module is still loading: each call waits for it. */
function deferredStore(store: Promise<DocumentStore>): DocumentStore {
  store.catch(() => undefined); // reported by the first call that needs it
  return {
    container: async (definition) => (await store).container(definition),
    ping: async (signal) => (await store).ping(signal),
    close: async () => (await store).close(),
  };
}

let textExtractor: DocumentTextExtractor | undefined;

/** Reads uploaded documents: Document Intelligence when configured (Azure), else the local PDF/text reader. */
export function getDocumentTextExtractor(): DocumentTextExtractor {
  if (!textExtractor) {
    const settings = getConfig().documentIntelligence;
    textExtractor = settings ? new DocumentIntelligenceExtractor(settings.endpoint, getAzureCredential()) : new LocalTextExtractor();
  }
  return textExtractor;
}

/**
 * A part of the composition root (identity, real-time) built on first use, once per process,
 * and rebuilt when tests swap the store or the settings; a failed build is tried again next time.
 */
export function builtOnce<T>(build: (store: DocumentStore, config: Config) => Promise<T>): () => Promise<T> {
  let built: { store: DocumentStore; config: Config; value: Promise<T> } | undefined;
  return () => {
    const store = getDocumentStore();
    const config = getConfig();
    if (!built || built.store !== store || built.config !== config) {
      const value = build(store, config);
      built = { store, config, value };
      value.catch(() => (built = undefined));
    }
    return built.value;
  };
}

/** For tests that change settings between cases, or bring their own store. */
export function resetContainerForTests(store?: DocumentStore): void {
  blobService = undefined;
  blobStorage = undefined;
  textExtractor = undefined;
  documentStore = store;
}
