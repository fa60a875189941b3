import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { ContainerDefinition, Document } from '../../shared/data/document-store';
import { StoreError } from '../../shared/data/errors';
import { runDocumentStoreContract } from './document-store.contract';

const dir = mkdtempSync(path.join(tmpdir(), 'document-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => path.join(dir, `store-${++files}.sqlite`);

function fakeClock() {
  const clock = {
    now: Date.parse('2025-03-01T12:00:00.000Z'),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  return clock;
}

const contractClock = fakeClock();
runDocumentStoreContract('sqlite', async () => SqliteDocumentStore.open(newFile(), { now: () => contractClock.now }), { clock: contractClock });

interface Expert extends Document {
  tenant: string;
  country?: string;
  rate?: number;
  headline?: string;
  embedding?: number[];
  ttl?: number;
}

const experts: ContainerDefinition = {
  name: 'experts',
  partitionKey: 'tenant',
  indexes: ['country', 'rate'],
  textFields: ['headline'],
  vector: { path: 'embedding', dimensions: 2, distance: 'cosine' },
};

/** A second, raw connection to the same file, to look at the tables behind a container. */
function inspect(file: string, containerName: string) {
  const db = new Database(file, { readonly: true });
  sqliteVec.load(db);
  const { number } = db.prepare('SELECT number FROM fx_containers WHERE name = ?').get(containerName) as { number: number };
  const rowids = (sql: string) => (db.prepare(sql).pluck().all() as number[]).sort((a, b) => a - b);
  return {
    db,
    docs: () => rowids(`SELECT seq FROM fx_docs_${number}`),
    fts: () => rowids(`SELECT rowid FROM fx_fts_${number}`),
    vec: () => rowids(`SELECT rowid FROM fx_vec_${number}`),
    ftsMatches: (word: string) => rowids(`SELECT rowid FROM fx_fts_${number} WHERE fx_fts_${number} MATCH '"${word}"'`),
    vectors: () =>
      Object.fromEntries(
        (db.prepare(`SELECT d.id, vec_to_json(v.embedding) AS v FROM fx_vec_${number} v JOIN fx_docs_${number} d ON d.seq = v.rowid`).all() as { id: string; v: string }[]).map((row) => [
          row.id,
          JSON.parse(row.v),
        ]),
      ),
  };
}

describe('sqlite document store', () => {
  it('keeps documents, search indexes and the change feed position across a reopen', async () => {
    const file = newFile();
    const first = SqliteDocumentStore.open(file);
    const before = await first.container<Expert>(experts);
    await before.create({ id: 'a', tenant: 't1', country: 'IL', rate: 100, headline: 'HACCP audits', embedding: [1, 0] });
    await before.create({ id: 'b', tenant: 't1', country: 'US', rate: 200, headline: 'Kosher supervision', embedding: [0, 1] });
    const { continuation } = await before.changesSince();
    await first.close();

    const second = SqliteDocumentStore.open(file);
    const after = await second.container<Expert>(experts);
    expect(await after.read('t1', 'a')).toMatchObject({ country: 'IL', rate: 100 });
    expect((await after.search({ text: 'kosher' })).map((hit) => hit.document.id)).toEqual(['b']);
    expect((await after.search({ vector: [1, 0.1] })).map((hit) => hit.document.id)).toEqual(['a', 'b']);
    expect((await after.changesSince(continuation)).items).toEqual([]);
    await after.patch('t1', 'a', [{ op: 'increment', path: 'rate', value: 1 }]);
    expect((await after.changesSince(continuation)).items.map((item) => [item.id, item.rate])).toEqual([['a', 101]]);
    await second.close();
  });

  it('serves an indexed equality filter, a sort and the next page from the expression indexes', async () => {
    const file = newFile();
    const statements: string[] = [];
    const store = SqliteDocumentStore.open(file, { logSql: (sql) => statements.push(sql) });
    const container = await store.container<Expert>(experts);
    await container.batch(
      't1',
      Array.from({ length: 100 }, (_, i) => ({ op: 'create' as const, document: { id: `e${i}`, tenant: 't1', country: ['IL', 'US', 'DE', 'FR'][i % 4], rate: i } })),
    );
    const { db } = inspect(file, 'experts');
    const plan = async (query: () => Promise<unknown>) => {
      statements.length = 0;
      await query();
      const sql = statements.find((statement) => statement.startsWith('SELECT seq, doc'))!;
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('\n');
    };

    const filtered = await plan(() => container.query({ where: { field: 'country', op: 'eq', value: 'IL' }, limit: 5 }));
    expect(filtered).toMatch(/SEARCH fx_docs_\d+ USING INDEX fx_ix_fx_docs_\d+_0 \(t:country=\? AND v:country=\?\)/);

    const sorted = await plan(() => container.query({ orderBy: [{ field: 'rate', direction: 'desc' }], limit: 5 }));
    expect(sorted).toMatch(/SCAN fx_docs_\d+ USING INDEX fx_ix_fx_docs_\d+_1/);
    expect(sorted).not.toMatch(/TEMP B-TREE/);

    const page = await container.query({ orderBy: [{ field: 'rate', direction: 'desc' }], limit: 5 });
    const next = await plan(() => container.query({ orderBy: [{ field: 'rate', direction: 'desc' }], limit: 5, continuation: page.continuation! }));
    expect(next).toMatch(/SEARCH fx_docs_\d+ USING INDEX fx_ix_fx_docs_\d+_1 \(\(t:rate,v:rate,id,pk\)<\(\?,\?,\?,\?\)\)/);
    db.close();
    await store.close();
  });

  it('keeps the FTS and vector rows in step with the documents through every kind of write', async () => {
    const file = newFile();
    const clock = fakeClock();
    const store = SqliteDocumentStore.open(file, { now: () => clock.now });
    const container = await store.container<Expert>({ ...experts, defaultTtlSeconds: -1 });
    await container.create({ id: 'a', tenant: 't1', headline: 'dairy audits', embedding: [1, 0] });
    await container.create({ id: 'b', tenant: 't1', headline: 'bakery hygiene', embedding: [0, 1] });
    await container.create({ id: 'c', tenant: 't1', headline: 'meat plants', embedding: [1, 1] });
    await container.create({ id: 'd', tenant: 't1', headline: 'short lived', embedding: [1, 2], ttl: 1 });
    await container.create({ id: 'no-vector', tenant: 't1', headline: 'text only' });
    await container.replace({ id: 'a', tenant: 't1', headline: 'kosher audits', embedding: [2, 0] });
    await container.patch('t1', 'b', [{ op: 'set', path: 'embedding', value: [0, 3] }]);
    await container.delete('t1', 'c');
    await container.upsert({ id: 'e', tenant: 't1', headline: 'organic farms', embedding: [3, 3] });
    await expect(
      container.batch('t1', [
        { op: 'create', document: { id: 'f', tenant: 't1', headline: 'rolled back', embedding: [5, 5] } },
        { op: 'create', document: { id: 'a', tenant: 't1' } },
      ]),
    ).rejects.toThrow(StoreError);
    await expect(container.patch('t1', 'e', [{ op: 'set', path: 'headline', value: 'never written' }], { condition: { field: 'headline', op: 'eq', value: 'nope' } })).rejects.toThrow(StoreError);
    clock.advance(5_000);
    await container.create({ id: 'purge-trigger', tenant: 't2' });

    const tables = inspect(file, 'experts');
    const docs = tables.docs();
    expect(docs).toHaveLength(5); // a, b, e, no-vector, purge-trigger: c deleted, d purged, f rolled back
    expect(tables.fts()).toEqual(docs);
    expect(tables.vectors()).toEqual({ a: [2, 0], b: [0, 3], e: [3, 3] });
    for (const gone of ['dairy', 'meat', 'short', 'rolled', 'never']) expect(tables.ftsMatches(gone), gone).toEqual([]);
    expect(tables.ftsMatches('kosher')).toHaveLength(1);
    tables.db.close();
    await store.close();
  });

  it('rebuilds indexes, FTS, vectors and expiry from the stored documents when the definition changes', async () => {
    const clock = fakeClock();
    const store = SqliteDocumentStore.open(newFile(), { now: () => clock.now });
    const plain = await store.container<Expert>({ name: 'evolving', partitionKey: 'tenant' });
    await plain.create({ id: 'a', tenant: 't1', rate: 3, headline: 'kosher audits', embedding: [1, 0] });
    await plain.create({ id: 'b', tenant: 't1', rate: 1, headline: 'dairy hygiene', embedding: [0, 1], ttl: -1 });
    await expect(plain.query({ orderBy: [{ field: 'rate' }] })).rejects.toThrow(StoreError);
    await expect(plain.search({ text: 'kosher' })).rejects.toThrow(StoreError);

    const richer = await store.container<Expert>({ ...experts, name: 'evolving' });
    expect((await richer.query({ orderBy: [{ field: 'rate' }] })).items.map((item) => item.id)).toEqual(['b', 'a']);
    expect((await richer.search({ text: 'kosher' })).map((hit) => hit.document.id)).toEqual(['a']);
    expect((await richer.search({ vector: [0, 1] })).map((hit) => hit.document.id)).toEqual(['b', 'a']);

    // TTL switched on later counts from each document's last write, as in Cosmos.
    const expiring = await store.container<Expert>({ ...experts, name: 'evolving', defaultTtlSeconds: 10 });
    clock.advance(5_000);
    expect(await expiring.count()).toBe(2);
    clock.advance(6_000);
    expect((await expiring.query()).items.map((item) => item.id)).toEqual(['b']);

    await expect(store.container({ ...experts, name: 'evolving', partitionKey: 'country' })).rejects.toThrow(/partition key cannot change/);
    await store.close();
  });

  it('runs in memory too', async () => {
    const store = SqliteDocumentStore.open(':memory:');
    const container = await store.container<Expert>(experts);
    await container.create({ id: 'a', tenant: 't1', headline: 'kosher audits', embedding: [1, 0] });
    expect((await container.search({ text: 'kosher', vector: [1, 0] })).map((hit) => hit.document.id)).toEqual(['a']);
    await store.close();
  });

  it('reports a write lock held by another connection as throttled', async () => {
    const file = newFile();
    const store = SqliteDocumentStore.open(file, { busyTimeoutMs: 50 });
    const container = await store.container<Expert>({ name: 'locked', partitionKey: 'tenant' });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const error = await container.create({ id: 'a', tenant: 't1' }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('throttled');
    expect((error as StoreError).headers?.['Retry-After']).toBe('1');
    other.exec('COMMIT');
    other.close();
    await expect(container.create({ id: 'a', tenant: 't1' })).resolves.toMatchObject({ id: 'a' });
    await store.close();
  });
});
