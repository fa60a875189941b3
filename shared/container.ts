import { BlobServiceClient, StorageRetryPolicyType } from '@azure/storage-blob';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CosmosDocumentStore } from './adapters/cosmos/cosmos-document-store';
import { SqliteDocumentStore } from './adapters/sqlite/sqlite-document-store';
import { getAzureCredential } from './azure-credential';
import { BlobStorage } from './blob/blob-storage';
import { type Config, getConfig } from './config';
import type { DocumentStore } from './data/document-store';
import { DocumentIntelligenceExtractor } from './documents/document-intelligence-extractor';
import { LocalTextExtractor } from './documents/local-text-extractor';
import type { DocumentTextExtractor } from './documents/text-extractor';
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

let blobStorage: BlobStorage | null | undefined;

/** The app's data container on blob storage, or null when no storage is configured. */
export function getBlobStorage(): BlobStorage | null {
  if (blobStorage === undefined) {
    const service = getBlobServiceClient();
    blobStorage = service ? new BlobStorage(service, getConfig().blobDataContainer) : null;
  }
  return blobStorage;
}

let documentStore: DocumentStore | undefined;

/** The document store: Cosmos DB when configured (Azure), else the embedded SQLite file. */
export function getDocumentStore(): DocumentStore {
  if (!documentStore) {
    const { store } = getConfig();
    if (store.kind === 'cosmos') {
      // Request charges at debug, policy drift at warn.
      documentStore = CosmosDocumentStore.connect({ ...store, credential: getAzureCredential(), logger: createAppLogger() });
    } else {
      if (store.path !== ':memory:') mkdirSync(path.dirname(path.resolve(store.path)), { recursive: true });
      documentStore = SqliteDocumentStore.open(store.path);
    }
  }
  return documentStore;
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
