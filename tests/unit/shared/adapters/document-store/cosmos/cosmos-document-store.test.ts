import { ErrorResponse, type ContainerRequest } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { containerRequest } from '../../../../../../shared/adapters/document-store/cosmos/container-request';
import { CosmosContainer } from '../../../../../../shared/adapters/document-store/cosmos/cosmos-container';
import { cosmosClientOptions, CosmosDocumentStore } from '../../../../../../shared/adapters/document-store/cosmos/cosmos-document-store';
import type { CosmosLogger } from '../../../../../../shared/adapters/document-store/cosmos/request';
import type { ContainerDefinition, Document } from '../../../../../../shared/data/document-store';
import { BatchError, StoreError } from '../../../../../../shared/data/errors';

// The adapter's own logic against a small in-memory stand-in for the SDK surface it calls (no server here).

type Row = Record<string, unknown>;
interface Expert extends Document {
  country: string;
  [field: string]: unknown;
}

const definition: ContainerDefinition = {
  name: 'experts',
  partitionKey: 'country',
  indexes: ['rating'],
  compositeIndexes: [
    [
      { path: 'country', order: 'asc' },
      { path: 'rating', order: 'desc' },
    ],
  ],
  textFields: ['bio'],
  vector: { path: 'profile.embedding', dimensions: 3, distance: 'cosine' },
  defaultTtlSeconds: 3600,
};

function cosmosError(code: number, extra: Partial<ErrorResponse> = {}): ErrorResponse {
  return Object.assign(new ErrorResponse(`Message: {"Errors":["status ${code}"]}`), { code, ...extra });
}

/** Items keyed by partition key and id, with Cosmos's system fields, etags, If-Match and JSON Patch rules. */
function fakeSdk(overrides: { query?: (spec: { query: string }, options: Row) => unknown; batch?: (inputs: never[]) => unknown; changeFeed?: (options: Row) => unknown } = {}) {
  const items = new Map<string, Row>();
  let version = 0;
  const keyOf = (partitionKey: unknown, id: string) => JSON.stringify([partitionKey, id]);
  const save = (body: Row) => {
    const stored = { ...body, _rid: 'rid==', _self: 'dbs/x/colls/y/docs/z', _attachments: 'attachments/', _etag: `"${++version}"`, _ts: 1_700_000_000 + version };
    items.set(keyOf(body.country, body.id as string), stored);
    return { resource: stored, requestCharge: 6.2 };
  };
  const checkEtag = (current: Row | undefined, options?: { accessCondition?: { condition: string } }) => {
    if (options?.accessCondition && current?._etag !== options.accessCondition.condition) throw cosmosError(412);
  };
  return {
    items: {
      create: async (body: Row) => {
        if (items.has(keyOf(body.country, body.id as string))) throw cosmosError(409);
        return save(body);
      },
      upsert: async (body: Row, options?: { accessCondition?: { condition: string } }) => {
        const current = items.get(keyOf(body.country, body.id as string));
        if (current || options?.accessCondition) checkEtag(current, options);
        return save(body);
      },
      query: (spec: { query: string }, options: Row) => ({
        fetchNext: async () => overrides.query!(spec, options),
        fetchAll: async () => overrides.query!(spec, options),
      }),
      batch: async (inputs: never[]) => overrides.batch!(inputs),
      getChangeFeedIterator: (options: Row) => ({ readNext: async () => overrides.changeFeed!(options) }),
    },
    item: (id: string, partitionKey: unknown) => ({
      read: async () => ({ resource: items.get(keyOf(partitionKey, id)), statusCode: items.has(keyOf(partitionKey, id)) ? 200 : 404, requestCharge: 1 }),
      replace: async (body: Row, options?: { accessCondition?: { condition: string } }) => {
        const current = items.get(keyOf(partitionKey, id));
        if (!current) throw cosmosError(404);
        checkEtag(current, options);
        return save(body);
      },
      delete: async (options?: { accessCondition?: { condition: string } }) => {
        const current = items.get(keyOf(partitionKey, id));
        if (!current) throw cosmosError(404);
        checkEtag(current, options);
        items.delete(keyOf(partitionKey, id));
        return { requestCharge: 5 };
      },
      patch: async (body: { op: string; path: string; value?: unknown }[] | { operations: { op: string; path: string; value?: unknown }[] }, options?: { accessCondition?: { condition: string } }) => {
        const current = items.get(keyOf(partitionKey, id));
        if (!current) throw cosmosError(404);
        checkEtag(current, options);
        const next = structuredClone(current);
        for (const { op, path, value } of Array.isArray(body) ? body : body.operations) {
          const keys = path.split('/').slice(1);
          if (op === 'add' && keys.at(-1) === '-') {
            const array = next[keys[0]];
            if (!Array.isArray(array)) throw cosmosError(400); // JSON Patch: add at /- needs the array
            array.push(value);
          } else if (op === 'set') next[keys[0]] = value;
          else if (op === 'incr') next[keys[0]] = ((next[keys[0]] as number) ?? 0) + (value as number);
        }
        return save(next);
      },
    }),
    stored: (partitionKey: unknown, id: string) => items.get(keyOf(partitionKey, id)),
  };
}

const open = (sdk: ReturnType<typeof fakeSdk>, logger?: CosmosLogger) => new CosmosContainer<Expert>(sdk as never, definition, logger);

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('Cosmos adapter: errors', () => {
  it('maps 404, 409 and 412 to the port errors', async () => {
    const container = open(fakeSdk());
    const created = await container.create({ id: 'e1', country: 'IL' });
    expect((await failure(container.create({ id: 'e1', country: 'IL' }))).kind).toBe('conflict');
    expect((await failure(container.replace({ id: 'e1', country: 'IL' }, { ifMatch: '"stale"' }))).kind).toBe('precondition_failed');
    expect((await failure(container.replace({ id: 'nope', country: 'IL' }))).kind).toBe('not_found');
    expect((await failure(container.delete('IL', 'e1', { ifMatch: '"stale"' }))).kind).toBe('precondition_failed');
    await container.delete('IL', 'e1', { ifMatch: created._etag });
    expect((await failure(container.delete('IL', 'e1'))).kind).toBe('not_found');
    expect(await container.read('IL', 'e1')).toBeNull();
  });

  it('surfaces an exhausted 429 as throttled with the service retry-after', async () => {
    const throttled = (error: ErrorResponse) =>
      open({ ...fakeSdk(), item: () => ({ patch: async () => Promise.reject(error) }) } as never).patch('IL', 'e1', [{ op: 'increment', path: 'views', value: 1 }]);
    const fromField = await failure(throttled(cosmosError(429, { retryAfterInMs: 2500 })));
    expect(fromField.kind).toBe('throttled');
    expect(fromField.headers).toEqual({ 'Retry-After': '3' });
    const fromHeader = await failure(throttled(cosmosError(429, { headers: { 'x-ms-retry-after-ms': '7100' } })));
    expect(fromHeader.headers).toEqual({ 'Retry-After': '8' });
  });

  it('maps 400 and 413 to validation and leaves outages as they are', async () => {
    const failing = (error: unknown) => open({ ...fakeSdk(), items: { ...fakeSdk().items, create: async () => Promise.reject(error) } } as never);
    expect((await failure(failing(cosmosError(400)).create({ id: 'a', country: 'IL' }))).kind).toBe('validation');
    expect((await failure(failing(cosmosError(413)).create({ id: 'a', country: 'IL' }))).kind).toBe('validation');
    const outage = cosmosError(503);
    await expect(failing(outage).create({ id: 'a', country: 'IL' })).rejects.toBe(outage);
  });

  it('refuses bad documents, ids and partition keys before any request', async () => {
    const container = open(fakeSdk());
    for (const bad of [{ country: 'IL' }, { id: '', country: 'IL' }, { id: 'a#b', country: 'IL' }, { id: 'a/b', country: 'IL' }, { id: 'k' }, { id: 'k', country: true }, null]) {
      expect((await failure(container.create(bad as never))).kind).toBe('validation');
    }
    expect((await failure(container.create({ id: 'v', country: 'IL', profile: { embedding: [1, 2] } }))).kind).toBe('validation');
    expect((await failure(container.create({ id: 't', country: 'IL', ttl: 0 }))).kind).toBe('validation');
    expect((await failure(container.read('IL', 'a?b'))).kind).toBe('validation');
    expect((await failure(container.read({} as never, 'a'))).kind).toBe('validation');
  });
});

describe('Cosmos adapter: documents', () => {
  it('strips Cosmos system fields other than _etag and _ts, and ignores them in input', async () => {
    const sdk = fakeSdk();
    const container = open(sdk);
    const created = await container.create({ id: 'e1', country: 'IL', _etag: '"forged"', _rid: 'forged', _self: 'x' } as never);
    expect(created).toEqual({ id: 'e1', country: 'IL', _etag: '"1"', _ts: 1_700_000_001 });
    expect(sdk.stored('IL', 'e1')).toMatchObject({ _rid: 'rid==' });
    expect(await container.read('IL', 'e1')).toEqual(created);
    expect(await container.upsert({ id: 'e1', country: 'IL', n: 2 })).toEqual({ id: 'e1', country: 'IL', n: 2, _etag: '"2"', _ts: 1_700_000_002 });
  });

  it('appends to an absent array by reading and sending set, pinned to the version read', async () => {
    const sdk = fakeSdk();
    const container = open(sdk);
    await container.create({ id: 'e1', country: 'IL', tags: ['a'] });
    expect((await container.patch('IL', 'e1', [{ op: 'append', path: 'tags', value: 'b' }])).tags).toEqual(['a', 'b']);
    const patched = await container.patch('IL', 'e1', [
      { op: 'append', path: 'languages', value: 'he' },
      { op: 'append', path: 'languages', value: 'en' },
    ]);
    expect(patched.languages).toEqual(['he', 'en']);
    await container.create({ id: 'e2', country: 'IL', name: 'Dana' });
    expect((await failure(container.patch('IL', 'e2', [{ op: 'append', path: 'name', value: 'x' }]))).kind).toBe('validation');
    expect((await failure(container.patch('IL', 'e2', [{ op: 'append', path: 'tags', value: 'x' }], { ifMatch: '"stale"' }))).kind).toBe('precondition_failed');
    expect(sdk.stored('IL', 'e2')).not.toHaveProperty('tags');
  });

  it('refuses impossible patches before sending them', async () => {
    const container = open(fakeSdk());
    const impossible = [
      [],
      Array.from({ length: 11 }, (_, i) => ({ op: 'set' as const, path: `f${i}`, value: i })),
      [{ op: 'set' as const, path: 'id', value: 'x' }],
      [{ op: 'set' as const, path: 'country', value: 'US' }],
      [{ op: 'increment' as const, path: 'n', value: Number.NaN }],
    ];
    for (const operations of impossible) expect((await failure(container.patch('IL', 'e1', operations))).kind).toBe('validation');
  });
});

describe('Cosmos adapter: batch', () => {
  it('names the failing operation (the others report 424) and returns documents and nulls on success', async () => {
    let answer: unknown = { result: [{ statusCode: 424 }, { statusCode: 409 }, { statusCode: 424 }] };
    const container = open(fakeSdk({ batch: () => answer }));
    const operations = [
      { op: 'upsert' as const, document: { id: 'a', country: 'IL' } },
      { op: 'create' as const, document: { id: 'b', country: 'IL' } },
      { op: 'delete' as const, id: 'c' },
    ];
    const error = await failure(container.batch('IL', operations));
    expect(error).toBeInstanceOf(BatchError);
    expect((error as BatchError).operationIndex).toBe(1);
    expect(error.kind).toBe('conflict');
    answer = { result: [{ statusCode: 424 }, { statusCode: 424 }, { statusCode: 404 }] };
    expect(((await failure(container.batch('IL', operations))) as BatchError).operationIndex).toBe(2);
    answer = {
      result: [
        { statusCode: 200, resourceBody: { id: 'a', country: 'IL', _etag: '"9"', _ts: 9, _rid: 'r', _self: 's' } },
        { statusCode: 201, resourceBody: { id: 'b', country: 'IL', _etag: '"10"', _ts: 10, _rid: 'r' } },
        { statusCode: 204 },
      ],
    };
    expect(await container.batch('IL', operations)).toEqual([{ id: 'a', country: 'IL', _etag: '"9"', _ts: 9 }, { id: 'b', country: 'IL', _etag: '"10"', _ts: 10 }, null]);
  });

  it('refuses, naming the operation, what cannot go in a batch: another partition, a conditional delete, more than 100', async () => {
    const container = open(fakeSdk({ batch: () => ({ result: [] }) }));
    const otherPartition = await failure(
      container.batch('IL', [
        { op: 'create', document: { id: 'a', country: 'IL' } },
        { op: 'create', document: { id: 'b', country: 'US' } },
      ]),
    );
    expect([otherPartition.kind, (otherPartition as BatchError).operationIndex]).toEqual(['validation', 1]);
    const conditionalDelete = await failure(container.batch('IL', [{ op: 'delete', id: 'c', ifMatch: '"1"' }]));
    expect([conditionalDelete.kind, (conditionalDelete as BatchError).operationIndex]).toEqual(['validation', 0]);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ op: 'create' as const, document: { id: `c${i}`, country: 'IL' } }));
    expect((await failure(container.batch('IL', tooMany))).kind).toBe('validation');
    expect(await container.batch('IL', [])).toEqual([]);
  });

  it('appends to an absent array inside a batch by resolving it against the stored document', async () => {
    const sdk = fakeSdk({
      // Like Cosmos: `add /-` on a missing array fails the batch (400, others 424); a plain `set` goes through,
      // but only while the document still has the etag the operation is pinned to.
      batch: async (inputs: { operationType: string; id?: string; ifMatch?: string; resourceBody?: { operations?: { op: string; path: string; value: unknown }[] } }[]) => ({
        result: inputs.map((input, index) => {
          const operations = input.resourceBody?.operations ?? [];
          const stored = sdk.stored('IL', input.id!)!;
          if (operations.some((operation) => operation.op === 'add' && !Array.isArray(stored[operation.path.split('/')[1]]))) return { statusCode: 400 };
          if (input.ifMatch !== undefined && input.ifMatch !== stored._etag) return { statusCode: 412 };
          const next = { ...stored, ...Object.fromEntries(operations.map((operation) => [operation.path.split('/')[1], operation.value])) };
          return { statusCode: 200, resourceBody: { ...next, _etag: `"b${index}"` } };
        }),
      }),
    });
    const container = open(sdk);
    await container.create({ id: 'e1', country: 'IL' });
    const [patched] = await container.batch('IL', [{ op: 'patch', id: 'e1', operations: [{ op: 'append', path: 'languages', value: 'he' }] }]);
    expect(patched).toEqual({ id: 'e1', country: 'IL', languages: ['he'], _etag: '"b0"', _ts: 1_700_000_001 });
  });

  it('maps a throttled batch, which the SDK rethrows without its status, to throttled', async () => {
    const container = open(fakeSdk({ batch: () => Promise.reject(new Error('Batch request error: Message: {"Errors":["Request rate is large. More Request Units may be needed"]}')) }));
    expect((await failure(container.batch('IL', [{ op: 'delete', id: 'a' }]))).kind).toBe('throttled');
  });
});

describe('Cosmos adapter: queries and continuations', () => {
  const row = (id: string) => ({ id, country: 'IL', _etag: `"${id}"`, _ts: 1, _rid: 'r', _self: 's', _attachments: 'a' });

  it('wraps SDK tokens opaquely, refuses them for another query, and fills short pages', async () => {
    const seen: Row[] = [];
    const pages: Record<string, { resources: Row[]; continuationToken?: string }> = {
      start: { resources: [row('a')], continuationToken: '{"sdk":"token-1"}' },
      '{"sdk":"token-1"}': { resources: [], continuationToken: '{"sdk":"token-2"}' },
      '{"sdk":"token-2"}': { resources: [row('b')], continuationToken: '{"sdk":"token-3"}' },
      '{"sdk":"token-3"}': { resources: [row('c')] },
    };
    const container = open(
      fakeSdk({
        query: (_spec, options) => {
          seen.push(options);
          return pages[(options.continuationToken as string | undefined) ?? 'start'];
        },
      }),
    );
    const where = { field: 'country', op: 'eq' as const, value: 'IL' };
    const first = await container.query({ where, limit: 2 });
    expect(first.items).toEqual([
      { id: 'a', country: 'IL', _etag: '"a"', _ts: 1 },
      { id: 'b', country: 'IL', _etag: '"b"', _ts: 1 },
    ]);
    expect(seen.map((options) => options.maxItemCount)).toEqual([2, 1, 1]);
    expect(seen.every((options) => options.enableQueryControl === true)).toBe(true);
    expect(first.continuation).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.continuation).not.toContain('token');
    const next = await container.query({ where, limit: 2, continuation: first.continuation! });
    expect(next).toEqual({ items: [{ id: 'c', country: 'IL', _etag: '"c"', _ts: 1 }], continuation: null });
    for (const replay of [
      { where: { ...where, value: 'US' }, continuation: first.continuation! },
      { where, partitionKey: 'IL', continuation: first.continuation! },
      { where, continuation: 'not-a-token' },
      { where, continuation: Buffer.from('{"v":1,"q":"x","t":"y"}').toString('base64url') },
    ]) {
      expect((await failure(container.query(replay))).kind).toBe('validation');
    }
    for (const limit of [0, -1, 1.5, 1001]) expect((await failure(container.query({ limit }))).kind).toBe('validation');
    expect((await failure(container.query({ orderBy: [{ field: 'bio' }] }))).kind).toBe('validation');
  });

  it('maps aggregate columns back to the requested names and counts', async () => {
    const container = open(fakeSdk({ query: (spec) => ({ resources: spec.query.startsWith('SELECT VALUE COUNT') ? [7] : [{ g0: 'IL', a0: 3 }] }) }));
    expect(await container.aggregate({ groupBy: ['country'], aggregates: { experts: { fn: 'count' } } })).toEqual([{ country: 'IL', experts: 3 }]);
    expect(await container.count()).toBe(7);
  });

  it('scores vector hits by similarity (negated euclidean distance) and rank hits by position', async () => {
    const vectorRows = { resources: [{ document: row('x'), score: 0.9 }, { document: row('y'), score: 0.2 }, { document: row('no-vector') }] };
    const cosine = open(fakeSdk({ query: () => vectorRows }));
    expect(await cosine.search({ vector: [1, 0, 0] })).toEqual([
      { document: { id: 'x', country: 'IL', _etag: '"x"', _ts: 1 }, score: 0.9 },
      { document: { id: 'y', country: 'IL', _etag: '"y"', _ts: 1 }, score: 0.2 },
    ]);
    const euclidean = new CosmosContainer<Expert>(fakeSdk({ query: () => vectorRows }) as never, { ...definition, vector: { path: 'v', dimensions: 3, distance: 'euclidean' } });
    expect((await euclidean.search({ vector: [1, 0, 0] })).map((hit) => hit.score)).toEqual([-0.9, -0.2]);
    const text = open(fakeSdk({ query: () => ({ resources: [row('best'), row('next')] }) }));
    const hits = await text.search({ text: 'haccp audit' });
    expect(hits.map((hit) => [hit.document.id, hit.score])).toEqual([
      ['best', 1],
      ['next', 0.5],
    ]);
    expect(await open(fakeSdk()).search({ text: '"*"' })).toEqual([]);
    expect((await failure(text.search({}))).kind).toBe('validation');
    expect((await failure(text.search({ text: 'x', limit: 101 }))).kind).toBe('validation');
  });

  it('reads the change feed from the beginning or a wrapped token, latest version only', async () => {
    const starts: unknown[] = [];
    const container = open(
      fakeSdk({
        changeFeed: (options) => {
          const start = options.changeFeedStartFrom as { getCfResource?: () => string };
          starts.push([options.changeFeedMode, start.constructor.name, start.getCfResource?.()]);
          return { result: [{ ...row('a'), _lsn: 4 }], continuationToken: '{"cf":"lsn-5"}' };
        },
      }),
    );
    const first = await container.changesSince(undefined, { limit: 2 });
    expect(first.items).toEqual([{ id: 'a', country: 'IL', _etag: '"a"', _ts: 1 }]);
    expect(first.continuation).not.toContain('lsn');
    await container.changesSince(first.continuation);
    expect(starts).toEqual([
      ['Incremental Feed', 'ChangeFeedStartFromBeginning', undefined],
      ['Incremental Feed', 'ChangeFeedStartFromContinuation', '{"cf":"lsn-5"}'],
    ]);
    expect((await failure(container.changesSince('garbage'))).kind).toBe('validation');
    expect((await failure(container.changesSince(undefined, { limit: 0 }))).kind).toBe('validation');
  });

  it('logs each request charge at debug with names and numbers only', async () => {
    const lines: [string, Row][] = [];
    const logger: CosmosLogger = { debug: (message, fields) => lines.push([message, fields]), warn: () => undefined };
    const container = open(fakeSdk(), logger);
    await container.create({ id: 'e1', country: 'IL', secret: 'do-not-log' });
    await container.create({ id: 'e1', country: 'IL' }).catch(() => undefined);
    expect(lines).toEqual([
      ['Cosmos DB request', { container: 'experts', operation: 'create', requestCharge: 6.2 }],
      ['Cosmos DB request failed', { container: 'experts', operation: 'create', status: 409, requestCharge: undefined }],
    ]);
    expect(JSON.stringify(lines)).not.toContain('do-not-log');
  });
});

describe('Cosmos adapter: containers and client', () => {
  it('declares the container with partition key, composite, full-text and vector policies and TTL', () => {
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
    expect(containerRequest({ name: 'plain', partitionKey: 'tenant.id' })).toEqual({
      id: 'plain',
      partitionKey: { paths: ['/tenant/id'] },
      indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [{ path: '/*' }], excludedPaths: [{ path: '/"_etag"/?' }] },
    });
    expect(() => containerRequest({ name: 'x', partitionKey: `tenant') --` })).toThrow(/Invalid field path/);
    expect(() => containerRequest({ name: 'x', partitionKey: 'id', indexes: ['a"); DROP'] })).toThrow(/Invalid field path/);
    expect(() => containerRequest({ name: 'a/b', partitionKey: 'id' })).toThrow(/container name/);
    expect(() => containerRequest({ name: 'x', partitionKey: 'id', vector: { path: 'v', dimensions: 5000, distance: 'cosine' } })).toThrow(/dimensions/);
  });

  it('creates containers idempotently, once per name, and warns when an existing one lacks the declared policy', async () => {
    const requests: ContainerRequest[] = [];
    const warnings: Row[] = [];
    let existing: Row | undefined;
    const database = {
      id: 'marketplace',
      containers: {
        createIfNotExists: async (request: ContainerRequest) => {
          requests.push(request);
          return { container: {}, resource: existing ?? request };
        },
      },
      read: async () => ({ resource: { id: 'db' } }),
    };
    const logger: CosmosLogger = { debug: () => undefined, warn: (_, fields) => warnings.push(fields) };
    const store = new CosmosDocumentStore(database as never, { logger });
    const [first, second] = await Promise.all([store.container(definition), store.container(definition)]);
    expect(first).toBe(second);
    expect(requests).toEqual([containerRequest(definition)]);
    expect(warnings).toEqual([]);

    existing = { id: 'bicep', partitionKey: { paths: ['/id'] }, indexingPolicy: {} };
    await expect(store.container({ name: 'bicep', partitionKey: 'tenant' })).rejects.toThrow(/partition key \/id, not \/tenant/);
    existing = { id: 'bicep', partitionKey: { paths: ['/tenant'] }, indexingPolicy: {} };
    await store.container({ ...definition, name: 'bicep', partitionKey: 'tenant', defaultTtlSeconds: undefined });
    expect(warnings[0]).toMatchObject({ container: 'bicep' });
    expect(warnings[0].missing).toEqual([
      'composite index /rating ascending, /id ascending',
      'composite index /country ascending, /id ascending',
      'composite index /country ascending, /rating descending, /id descending',
      'full-text path /bio',
      'full-text index /bio',
      'vector embedding /profile/embedding (3, cosine)',
      'vector index /profile/embedding',
    ]);
    await expect(store.ping()).resolves.toBeUndefined();

    const missing = { id: 'marketplace', containers: { createIfNotExists: async () => Promise.reject(cosmosError(404)) } };
    await expect(new CosmosDocumentStore(missing as never).container(definition)).rejects.toThrow(/database "marketplace" does not exist/);
  });

  it("uses the app's Entra ID credential unless settings give a key, with bounded 429 retries", () => {
    const credential = { getToken: async () => null };
    const identity = cosmosClientOptions({ endpoint: 'https://acct.documents.azure.com:443/', database: 'marketplace', credential });
    expect(identity.aadCredentials).toBe(credential);
    expect(identity.key).toBeUndefined();
    expect(identity.connectionPolicy?.retryOptions).toEqual({ maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 30 });
    const keyed = cosmosClientOptions({ endpoint: 'https://acct.documents.azure.com:443/', database: 'test', key: 'a2V5', credential, retry: { maxRetryAttemptCount: 3, maxWaitTimeInSeconds: 5 } });
    expect(keyed.key).toBe('a2V5');
    expect(keyed.aadCredentials).toBeUndefined();
    expect(keyed.connectionPolicy?.retryOptions).toEqual({ maxRetryAttemptCount: 3, maxWaitTimeInSeconds: 5 });
  });
});
