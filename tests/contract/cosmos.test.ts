import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { CosmosDocumentStore } from '../../shared/adapters/cosmos/cosmos-document-store';
import { runDocumentStoreContract } from './document-store.contract';

// The same contract suite as SQLite, against a real Cosmos DB account when one is configured.
const endpoint = process.env.COSMOS_ENDPOINT;

if (endpoint) {
  runDocumentStoreContract('cosmos', async () =>
    CosmosDocumentStore.connect({ endpoint, key: process.env.COSMOS_KEY, database: process.env.COSMOS_TEST_DATABASE ?? `contract-${randomUUID().slice(0, 8)}`, createDatabase: true }),
  );
} else {
  describe('Cosmos DB contract', () => {
    it.skip('skipped: COSMOS_ENDPOINT is not set (and COSMOS_KEY or an Azure identity), so there is no account to run the contract suite against', () => {});
  });
}
