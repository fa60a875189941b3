import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { describe, it } from 'vitest';
import { cosmosClientOptions, CosmosDocumentStore, type CosmosStoreSettings } from '../../shared/adapters/document-store/cosmos/cosmos-document-store';
import { createAzureCredential } from '../../shared/azure-credential';
import { loadConfig } from '../../shared/config';
import type { DocumentStore } from '../../shared/data/document-store';
import { runDocumentStoreContract } from './document-store.contract';

// The same contract suite as SQLite, against a real Cosmos DB for NoSQL account when one is configured:
// COSMOS_ENDPOINT, plus COSMOS_KEY or the app's Azure credential (az login locally, the managed identity with APP_ENV=azure).
// The account needs the vector search and full-text search capabilities. Without COSMOS_TEST_DATABASE a throwaway
// database is created and deleted at the end.
const endpoint = process.env.COSMOS_ENDPOINT;

if (endpoint) {
  const throwaway = !process.env.COSMOS_TEST_DATABASE;
  const settings: CosmosStoreSettings = {
    endpoint,
    key: process.env.COSMOS_KEY || undefined,
    credential: createAzureCredential(loadConfig()),
    database: process.env.COSMOS_TEST_DATABASE ?? `contract-${randomUUID().slice(0, 8)}`,
    createDatabase: true,
  };
  runDocumentStoreContract('cosmos', async (): Promise<DocumentStore> => {
    const store = CosmosDocumentStore.connect(settings);
    return {
      container: (definition) => store.container(definition),
      ping: (signal) => store.ping(signal),
      async close() {
        await store.close();
        if (!throwaway) return;
        const client = new CosmosClient(cosmosClientOptions(settings));
        try {
          await client.database(settings.database).delete();
        } finally {
          client.dispose();
        }
      },
    };
  });
} else {
  const reason = 'COSMOS_ENDPOINT not set (with COSMOS_KEY or an Azure identity), so there is no Cosmos DB account to run the contract suite against';
  // The default reporter only counts skipped tests, so the reason is also printed.
  console.warn(`Cosmos DB contract run skipped: ${reason}`);
  describe('document store contract: cosmos', () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
