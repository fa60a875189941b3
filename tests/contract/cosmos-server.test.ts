import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CosmosClient } from '@azure/cosmos';
import cosmosServer from '@vercel/cosmosdb-server';
import { afterAll, beforeAll } from 'vitest';
import { cosmosClientOptions, CosmosDocumentStore } from '../../shared/adapters/document-store/cosmos/cosmos-document-store';
import { createAzureCredential } from '../../shared/azure-credential';
import { loadConfig } from '../../shared/config';
import { runDocumentStoreContract } from './document-store.contract';

/**
 * The document-store contract against @vercel/cosmosdb-server, a Node implementation of the Cosmos DB SQL API
 * started here on a free port: the adapter's requests, SQL, continuations and error mapping go through the real
 * @azure/cosmos client and HTTP protocol. What the server does not implement, or implements unlike Cosmos DB, is
 * listed below with the reason (and in the README); those cases run only against a real account (cosmos.test.ts).
 */
const threeValued = "its comparisons across types or with a missing field are false, not undefined, so NOT selects those documents (Cosmos DB's logic is three-valued)";
const reverseComposite = 'it serves a multi-key ORDER BY only from a composite index in exactly that order, not from its reverse as Cosmos DB does, so descending sorts are refused';
const partitionScope = "it ignores a query's partition key (the x-ms-documentdb-partitionkey header) and answers from every partition";
const noGroupBy = 'its query engine has no GROUP BY';
const noBatchPatch = 'its transactional batch has no patch operation';
const batchPartitionKey = 'a delete or replace in its batch fails with a 500 unless the operation repeats the partition key, which the SDK sends once for the batch';
const unsupported: Record<string, string> = {
  'create, read, replace, upsert, delete > gives etags in the quoted form of HTTP entity tags': 'its etags are bare UUIDs, where Cosmos DB quotes them',
  'create, read, replace, upsert, delete > treats string and number partition keys as different partitions': 'it keys documents by the string form of the partition key, so 1 and "1" collide',
  'patch > appends to an array, creating it when absent':
    'its patch `add /tags/-` on an absent array writes a field named "-", where Cosmos DB answers 400 (the adapter creates the array on that 400)',
  'patch > refuses impossible operations, applying none of the patch': 'its patch `set /missing/child` writes `child` at the root, where Cosmos DB answers 400',
  'conditions > ne (same type only, never a missing field)': threeValued,
  'conditions > not eq skips other types and missing fields': threeValued,
  'conditions > not in': threeValued,
  'conditions > not of or (De Morgan)': threeValued,
  'sorting > sorts descending, ties broken by id': reverseComposite,
  'sorting > sorts by several keys with a composite index, in reverse': reverseComposite,
  'sorting > orders mixed types as Cosmos does: null < booleans < numbers < strings, keeping undefined (desc)': reverseComposite,
  'pagination > neither repeats nor skips when documents are inserted between pages (desc)': reverseComposite,
  'pagination > pages within one partition': `${reverseComposite}; and ${partitionScope}`,
  'aggregates > groups with count, sum, avg, min and max, keys named as asked': noGroupBy,
  'aggregates > returns one row without groupBy, filtered by where and partition': partitionScope,
  'batch > applies every operation in order and returns one result each': noBatchPatch,
  'batch > names the failing operation: a delete of a missing id': batchPartitionKey,
  'batch > names the failing operation: a replace of an id deleted earlier in the batch': batchPartitionKey,
  'batch > names the failing operation: a replace with a stale etag': batchPartitionKey,
  'batch > names the failing operation: an impossible patch': noBatchPatch,
  'batch > writes nothing when one operation fails': 'its batch is not atomic: operations before the failing one stay written',
  'text search': 'it has no full-text search (FullTextContainsAny, FullTextScore, ORDER BY RANK and RRF do not parse)',
  'hybrid search': 'it has no full-text or vector search (RRF, FullTextScore and VectorDistance)',
  'vector search': 'it has no vector search (no VectorDistance; ORDER BY takes only document paths)',
  'change feed': 'it has no change feed: a feed read returns the whole container in creation order, and any continuation gets 304 Not Modified',
  'time to live': 'it has no time to live: defaultTtl and ttl are stored, but nothing expires',
  'unicode > scopes queries to a unicode partition key': partitionScope,
  'large documents > stores a 1.5 MB document and refuses one over 2 MB': 'it has no 2 MB item limit, so a patch that grows a document past it is stored (the adapter relies on Cosmos DB refusing it)',
  'hostile input is data > scopes queries and searches to hostile partition keys': `${partitionScope}; and it has no full-text search`,
  'hostile input is data > groups by hostile values': noGroupBy,
};

const server = cosmosServer();
let endpoint = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

runDocumentStoreContract(
  'cosmosdb-server',
  async () => {
    const settings = { endpoint, key: 'cosmosdb-server-accepts-any-key', credential: createAzureCredential(loadConfig()), database: 'contract' };
    // The server's certificate is self-signed: accepted by this test's client only, never by the adapter's.
    const client = new CosmosClient({ ...cosmosClientOptions(settings), agent: new Agent({ rejectUnauthorized: false }) });
    await client.databases.createIfNotExists({ id: settings.database });
    return new CosmosDocumentStore(client.database(settings.database), { client });
  },
  { unsupported },
);
