import { describe, expect, it } from 'vitest';
import { containerRequest } from '../../shared/adapters/cosmos/container-request';
import { CosmosContainer } from '../../shared/adapters/cosmos/cosmos-container';
import type { ContainerDefinition } from '../../shared/data/document-store';
import { BatchError, StoreError } from '../../shared/data/errors';

// The adapter's own logic against a small stand-in for the SDK surface it calls (no server here).
const definition: ContainerDefinition = {
  name: 'experts',
  partitionKey: 'country',
  indexes: ['rating'],
  compositeIndexes: [[{ path: 'country', order: 'asc' }, { path: 'rating', order: 'desc' }]],
  textFields: ['bio'],
  vector: { path: 'profile.embedding', dimensions: 3, distance: 'cosine' },
  defaultTtlSeconds: 3600,
};

const sdkError = (statusCode: number, extra: object = {}) => Object.assign(new Error(`Request failed with ${statusCode}`), { code: statusCode, statusCode, ...extra });

function fakeSdk(overrides: Record<string, unknown> = {}) {
  const stored = { id: 'e1', country: 'IL', _etag: '"1"', _ts: 1, _rid: 'rid', _self: 'self', _attachments: 'att', _lsn: 4 };
  const item = (id: string) => ({
    read: async () => (id === 'e1' ? { resource: stored } : { resource: undefined, statusCode: 404 }),
    replace: async () => {
      throw sdkError(412);
    },
    patch: async () => {
      throw sdkError(429, { retryAfterInMs: 2500 });
    },
    delete: async () => ({}),
  });
  return {
    item,
    items: {
      create: async () => {
        throw sdkError(409);
      },
      upsert: async (body: object) => ({ resource: { ...body, _etag: '"2"', _ts: 2, _rid: 'x' } }),
      query: (_spec: unknown, options: { continuationToken?: string }) => ({
        fetchNext: async () => ({ resources: [stored], continuationToken: options.continuationToken ? undefined : 'sdk-token-1' }),
        fetchAll: async () => ({ resources: [{ g0: 'IL', a0: 3 }] }),
      }),
      batch: async () => ({ result: [{ statusCode: 424 }, { statusCode: 409 }, { statusCode: 424 }] }),
      ...overrides,
    },
  };
}

const container = (sdk = fakeSdk()) => new CosmosContainer<{ id: string; country: string }>(sdk as never, definition);

describe('Cosmos adapter logic', () => {
  it('maps Cosmos status codes to the port errors', async () => {
    await expect(container().create({ id: 'e1', country: 'IL' })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(container().replace({ id: 'e1', country: 'IL' }, { ifMatch: '"0"' })).rejects.toMatchObject({ kind: 'precondition_failed' });
    const throttled = await container()
      .patch('IL', 'e1', [{ op: 'increment', path: 'views', value: 1 }])
      .catch((error: StoreError) => error);
    expect(throttled).toBeInstanceOf(StoreError);
    expect((throttled as StoreError).kind).toBe('throttled');
    expect((throttled as StoreError).headers).toEqual({ 'Retry-After': '3' });
  });

  it('reads a missing document as null and strips Cosmos system fields from documents', async () => {
    expect(await container().read('IL', 'nope')).toBeNull();
    expect(await container().read('IL', 'e1')).toEqual({ id: 'e1', country: 'IL', _etag: '"1"', _ts: 1 });
    expect(await container().upsert({ id: 'e2', country: 'US' })).toEqual({ id: 'e2', country: 'US', _etag: '"2"', _ts: 2 });
  });

  it('names the failing operation of a batch (the others report 424)', async () => {
    const error = await container()
      .batch('IL', [
        { op: 'upsert', document: { id: 'a', country: 'IL' } },
        { op: 'create', document: { id: 'b', country: 'IL' } },
        { op: 'delete', id: 'c' },
      ])
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(BatchError);
    expect((error as BatchError).operationIndex).toBe(1);
    expect((error as BatchError).kind).toBe('conflict');
  });

  it('refuses a conditional delete inside a batch rather than dropping the condition', async () => {
    await expect(container().batch('IL', [{ op: 'delete', id: 'c', ifMatch: '"1"' }])).rejects.toMatchObject({ kind: 'validation' });
  });

  it('wraps continuation tokens opaquely and refuses one replayed against another query', async () => {
    const first = await container().query({ where: { field: 'country', op: 'eq', value: 'IL' }, limit: 1 });
    expect(first.continuation).not.toContain('sdk-token-1');
    const next = await container().query({ where: { field: 'country', op: 'eq', value: 'IL' }, limit: 1, continuation: first.continuation! });
    expect(next.continuation).toBeNull();
    await expect(container().query({ where: { field: 'country', op: 'eq', value: 'US' }, continuation: first.continuation! })).rejects.toMatchObject({
      kind: 'validation',
    });
    await expect(container().query({ continuation: 'not-a-token' })).rejects.toMatchObject({ kind: 'validation' });
  });

  it('maps aggregate columns back to the requested names', async () => {
    expect(await container().aggregate({ groupBy: ['country'], aggregates: { experts: { fn: 'count' } } })).toEqual([{ country: 'IL', experts: 3 }]);
  });

  it('creates the container with partition key, composite, full-text and vector policies and TTL', () => {
    expect(containerRequest(definition)).toEqual({
      id: 'experts',
      partitionKey: { paths: ['/country'] },
      defaultTtl: 3600,
      indexingPolicy: {
        indexingMode: 'consistent',
        automatic: true,
        includedPaths: [{ path: '/*' }],
        excludedPaths: [{ path: '/"_etag"/?' }, { path: '/profile/embedding/*' }],
        compositeIndexes: [
          [
            { path: '/rating', order: 'ascending' },
            { path: '/id', order: 'ascending' },
          ],
          [
            { path: '/country', order: 'ascending' },
            { path: '/rating', order: 'descending' },
            { path: '/id', order: 'descending' },
          ],
        ],
        fullTextIndexes: [{ path: '/bio' }],
        vectorIndexes: [{ path: '/profile/embedding', type: 'quantizedFlat' }],
      },
      fullTextPolicy: { defaultLanguage: 'en-US', fullTextPaths: [{ path: '/bio', language: 'en-US' }] },
      vectorEmbeddingPolicy: {
        vectorEmbeddings: [{ path: '/profile/embedding', dataType: 'float32', dimensions: 3, distanceFunction: 'cosine' }],
      },
    });
  });
});
