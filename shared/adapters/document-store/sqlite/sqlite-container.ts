import type Database from 'better-sqlite3';
import type {
  AggregateQuery,
  BatchOperation,
  ChangeFeedPage,
  Condition,
  Container,
  ContainerDefinition,
  Document,
  Page,
  PartitionKey,
  PatchOperation,
  PatchOptions,
  QueryOptions,
  Scalar,
  SearchHit,
  SearchQuery,
  Stored,
  WriteOptions,
} from '../../../data/document-store';
import { BatchError, StoreError } from '../../../data/errors';
import { runAggregate } from './aggregate';
import { conditionSql } from './condition-sql';
import { readChanges } from './change-feed';
import type { ContainerContext } from './container-context';
import { fieldResolver, type ContainerTables } from './container-schema';
import { withStoreErrors, type StatementCache } from './connection';
import { DocumentRows, toStored, type DocumentRow } from './document-rows';
import { assertId, assertPartitionKey } from '../../../data/document-rules';
import { expiresAt, newEtag, prepareDocument, type PreparedDocument } from './documents';
import { applyPatch } from './patch';
import { runCount, runQuery } from './query';
import { runSearch } from './search';

/** Cosmos's limit for a transactional batch. */
const MAX_BATCH_OPERATIONS = 100;
/** Expired documents are invisible at once; their rows are deleted by a write at most this often. */
const PURGE_INTERVAL_MS = 1000;

export class SqliteContainer<T extends Document> implements Container<T> {
  private readonly rows: DocumentRows;
  private readonly context: ContainerContext;
  private readonly inTransaction: Database.Transaction<(operation: () => unknown) => unknown>;
  private nextPurgeAt = -Infinity;

  constructor(
    db: Database.Database,
    readonly definition: ContainerDefinition,
    tables: ContainerTables,
    statements: StatementCache,
    private readonly now: () => number,
  ) {
    this.rows = new DocumentRows(db, tables);
    this.context = { definition, tables, statements, field: fieldResolver(tables), nowSeconds: () => this.now() / 1000 };
    this.inTransaction = db.transaction((operation) => operation());
  }

  async create(document: T): Promise<Stored<T>> {
    const prepared = this.prepare(document);
    return this.write(() => this.createRow(prepared));
  }

  async read(partitionKey: PartitionKey, id: string): Promise<Stored<T> | null> {
    const key = assertPartitionKey(partitionKey);
    assertId(id);
    return withStoreErrors(() => {
      const row = this.rows.find(key, id);
      return row && !this.isExpired(row) ? toStored<T>(row) : null;
    });
  }

  async replace(document: T, options: WriteOptions = {}): Promise<Stored<T>> {
    const prepared = this.prepare(document);
    return this.write(() => this.replaceRow(prepared, options.ifMatch));
  }

  async upsert(document: T, options: WriteOptions = {}): Promise<Stored<T>> {
    const prepared = this.prepare(document);
    return this.write(() => this.upsertRow(prepared, options.ifMatch));
  }

  async delete(partitionKey: PartitionKey, id: string, options: WriteOptions = {}): Promise<void> {
    const key = assertPartitionKey(partitionKey);
    assertId(id);
    return this.write(() => this.deleteRow(key, id, options.ifMatch));
  }

  async patch(partitionKey: PartitionKey, id: string, operations: PatchOperation[], options: PatchOptions = {}): Promise<Stored<T>> {
    const key = assertPartitionKey(partitionKey);
    assertId(id);
    return this.write(() => this.patchRow(key, id, operations, options));
  }

  async query(options: QueryOptions = {}): Promise<Page<Stored<T>>> {
    return withStoreErrors(() => runQuery<T>(this.context, options));
  }

  async count(options: Pick<QueryOptions, 'where' | 'partitionKey'> = {}): Promise<number> {
    return withStoreErrors(() => runCount(this.context, options));
  }

  async aggregate(query: AggregateQuery): Promise<Record<string, Scalar>[]> {
    return withStoreErrors(() => runAggregate(this.context, query));
  }

  /** One transaction: an operation sees the ones before it; any failure undoes them all. */
  async batch(partitionKey: PartitionKey, operations: BatchOperation<T>[]): Promise<(Stored<T> | null)[]> {
    const key = assertPartitionKey(partitionKey);
    if (!Array.isArray(operations) || operations.length > MAX_BATCH_OPERATIONS) {
      throw new StoreError('validation', `A batch has at most ${MAX_BATCH_OPERATIONS} operations`);
    }
    return this.write(() =>
      operations.map((operation, index) => {
        try {
          return this.batchOperation(key, operation);
        } catch (error) {
          throw error instanceof StoreError ? new BatchError(index, error) : error;
        }
      }),
    );
  }

  async search(query: SearchQuery): Promise<SearchHit<Stored<T>>[]> {
    return withStoreErrors(() => this.inTransaction.deferred(() => runSearch<T>(this.context, query)) as SearchHit<Stored<T>>[]);
  }

  async changesSince(continuation?: string, options: { limit?: number } = {}): Promise<ChangeFeedPage<Stored<T>>> {
    return withStoreErrors(() => readChanges<T>(this.context, continuation, options.limit));
  }

  private batchOperation(partitionKey: PartitionKey, operation: BatchOperation<T>): Stored<T> | null {
    switch (operation.op) {
      case 'create':
        return this.createRow(this.prepare(operation.document, partitionKey));
      case 'upsert':
        return this.upsertRow(this.prepare(operation.document, partitionKey), undefined);
      case 'replace':
        return this.replaceRow(this.prepare(operation.document, partitionKey), operation.ifMatch);
      case 'delete':
        this.deleteRow(partitionKey, assertId(operation.id), operation.ifMatch);
        return null;
      case 'patch':
        return this.patchRow(partitionKey, assertId(operation.id), operation.operations, { ifMatch: operation.ifMatch });
      default:
        throw new Error(`Unknown batch operation ${JSON.stringify(operation)}`);
    }
  }

  private createRow(document: PreparedDocument): Stored<T> {
    if (this.live(document.partitionKey, document.id)) throw new StoreError('conflict', `A document with id "${document.id}" already exists`);
    return this.insert(document);
  }

  private replaceRow(document: PreparedDocument, ifMatch: string | undefined): Stored<T> {
    const current = this.existing(document.partitionKey, document.id, ifMatch);
    this.rows.remove(current.seq);
    return this.insert(document);
  }

  /** With `ifMatch`, the document must exist at that version (If-Match on nothing fails, as in HTTP). */
  private upsertRow(document: PreparedDocument, ifMatch: string | undefined): Stored<T> {
    const current = this.live(document.partitionKey, document.id);
    if (ifMatch !== undefined && current?.etag !== ifMatch) throw stale(document.id);
    if (current) this.rows.remove(current.seq);
    return this.insert(document);
  }

  private deleteRow(partitionKey: PartitionKey, id: string, ifMatch: string | undefined): void {
    this.rows.remove(this.existing(partitionKey, id, ifMatch).seq);
  }

  private patchRow(partitionKey: PartitionKey, id: string, operations: PatchOperation[], options: PatchOptions): Stored<T> {
    const current = this.existing(partitionKey, id, options.ifMatch);
    if (options.condition !== undefined && !this.matches(current.seq, options.condition)) {
      throw new StoreError('precondition_failed', `Document "${id}" does not match the patch condition`);
    }
    const body = JSON.parse(current.doc) as Record<string, unknown>;
    applyPatch(body, operations, this.definition.partitionKey);
    const patched = this.prepare(body as T);
    this.rows.remove(current.seq);
    return this.insert(patched);
  }

  /** The condition evaluated by the same compiler as queries, so a conditional patch and a query agree. */
  private matches(seq: number, condition: Condition): boolean {
    const predicate = conditionSql(condition, this.context.field);
    return this.context.statements.get(`SELECT 1 AS hit FROM ${this.context.tables.docs} WHERE seq = ? AND ${predicate.text}`).get(seq, ...predicate.params) !== undefined;
  }

  private existing(partitionKey: PartitionKey, id: string, ifMatch: string | undefined): DocumentRow {
    const current = this.live(partitionKey, id);
    if (!current) throw new StoreError('not_found', `No document with id "${id}"`);
    if (ifMatch !== undefined && current.etag !== ifMatch) throw stale(id);
    return current;
  }

  /** The current row, treating an expired one as gone (and deleting it, since we are in a write). */
  private live(partitionKey: PartitionKey, id: string): DocumentRow | undefined {
    const row = this.rows.find(partitionKey, id);
    if (row && this.isExpired(row)) {
      this.rows.remove(row.seq);
      return undefined;
    }
    return row;
  }

  private insert(document: PreparedDocument): Stored<T> {
    const ts = Math.floor(this.now() / 1000);
    const etag = newEtag();
    this.rows.insert(document, etag, ts, expiresAt(document.ttl, ts, this.definition));
    return toStored<T>({ doc: document.json, etag, ts });
  }

  private prepare(document: T, batchPartitionKey?: PartitionKey): PreparedDocument {
    const prepared = prepareDocument(document, this.definition);
    if (batchPartitionKey !== undefined && prepared.partitionKey !== batchPartitionKey) {
      throw new StoreError('validation', `Document "${prepared.id}" is not in the batch's partition`);
    }
    return prepared;
  }

  private isExpired(row: DocumentRow): boolean {
    return row.expires_at !== null && row.expires_at <= this.context.nowSeconds();
  }

  /** An IMMEDIATE transaction takes the write lock up front, so the `ifMatch` check and the write are atomic. */
  private async write<R>(operation: () => R): Promise<R> {
    return withStoreErrors(
      () =>
        this.inTransaction.immediate(() => {
          this.purgeExpired();
          return operation();
        }) as R,
    );
  }

  private purgeExpired(): void {
    const now = this.now();
    if (this.definition.defaultTtlSeconds === undefined || now < this.nextPurgeAt) return;
    this.nextPurgeAt = now + PURGE_INTERVAL_MS;
    for (const seq of this.rows.expired(now / 1000)) this.rows.remove(seq);
  }
}

function stale(id: string): StoreError {
  return new StoreError('precondition_failed', `Document "${id}" has changed since it was read (stale ifMatch)`);
}
