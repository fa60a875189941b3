import { BulkOperationType, ChangeFeedStartFrom, StatusCodes, type Container as SdkContainer, type OperationInput, type RequestOptions } from '@azure/cosmos';
import type {
  AggregateQuery,
  BatchOperation,
  ChangeFeedPage,
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
} from '../../data/document-store';
import { BatchError, StoreError } from '../../data/errors';
import { mapped, toStoreError } from './errors';
import { aggregateQuery, countQuery, filterPredicate, patchOperations, searchQuery, selectQuery } from './sql';
import { unwrapToken, wrapToken } from './tokens';

/** Cosmos system properties that are not part of the port's documents. */
const SYSTEM_FIELDS = ['_rid', '_self', '_attachments', '_lsn'];

export function stripSystemFields<T extends Document>(resource: Record<string, unknown>): Stored<T> {
  const copy = { ...resource };
  for (const field of SYSTEM_FIELDS) delete copy[field];
  return copy as Stored<T>;
}

const ifMatch = (etag: string | undefined): RequestOptions => (etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {});

/** One Cosmos container behind the port. Queries come from `sql.ts`; errors from `errors.ts`. */
export class CosmosContainer<T extends Document> implements Container<T> {
  constructor(
    private readonly sdk: SdkContainer,
    readonly definition: ContainerDefinition,
  ) {}

  async create(document: T): Promise<Stored<T>> {
    return this.resource(await mapped(() => this.sdk.items.create(document)));
  }

  async read(partitionKey: PartitionKey, id: string): Promise<Stored<T> | null> {
    const response = await mapped(() => this.sdk.item(id, partitionKey).read());
    return response.resource ? stripSystemFields<T>(response.resource) : null;
  }

  async replace(document: T, options: WriteOptions = {}): Promise<Stored<T>> {
    return this.resource(await mapped(() => this.sdk.item(document.id, this.partitionKeyOf(document)).replace(document, ifMatch(options.ifMatch))));
  }

  async upsert(document: T, options: WriteOptions = {}): Promise<Stored<T>> {
    return this.resource(await mapped(() => this.sdk.items.upsert(document, ifMatch(options.ifMatch))));
  }

  async delete(partitionKey: PartitionKey, id: string, options: WriteOptions = {}): Promise<void> {
    await mapped(() => this.sdk.item(id, partitionKey).delete(ifMatch(options.ifMatch)));
  }

  async patch(partitionKey: PartitionKey, id: string, operations: PatchOperation[], options: PatchOptions = {}): Promise<Stored<T>> {
    const body = options.condition ? { operations: patchOperations(operations) as never, condition: filterPredicate(options.condition) } : (patchOperations(operations) as never);
    return this.resource(await mapped(() => this.sdk.item(id, partitionKey).patch(body, ifMatch(options.ifMatch))));
  }

  async query(options: QueryOptions = {}): Promise<Page<Stored<T>>> {
    const spec = selectQuery(options);
    const bound = { spec, partitionKey: options.partitionKey };
    const iterator = this.sdk.items.query(spec, {
      maxItemCount: Math.min(Math.max(options.limit ?? 100, 1), 1000),
      continuationToken: options.continuation ? unwrapToken(options.continuation, bound) : undefined,
      ...(options.partitionKey === undefined ? {} : { partitionKey: options.partitionKey }),
    });
    const page = await mapped(() => iterator.fetchNext());
    return {
      items: page.resources.map((resource) => stripSystemFields<T>(resource)),
      continuation: page.continuationToken ? wrapToken(page.continuationToken, bound) : null,
    };
  }

  async count(options: Pick<QueryOptions, 'where' | 'partitionKey'> = {}): Promise<number> {
    const { resources } = await mapped(() => this.sdk.items.query<number>(countQuery(options.where), this.scope(options.partitionKey)).fetchAll());
    return resources[0] ?? 0;
  }

  async aggregate(query: AggregateQuery): Promise<Record<string, Scalar>[]> {
    const { columns, ...spec } = aggregateQuery(query);
    const { resources } = await mapped(() => this.sdk.items.query<Record<string, Scalar>>(spec, this.scope(query.partitionKey)).fetchAll());
    return resources.map((row) => Object.fromEntries(Object.entries(row).map(([alias, value]) => [columns[alias] ?? alias, value])));
  }

  async batch(partitionKey: PartitionKey, operations: BatchOperation<T>[]): Promise<(Stored<T> | null)[]> {
    if (operations.length === 0) return [];
    if (operations.length > 100) throw new StoreError('validation', 'A batch holds at most 100 operations');
    const response = await mapped(() => this.sdk.items.batch(operations.map(toOperationInput), partitionKey));
    const results = response.result ?? [];
    // The failing operation has its own status; the others report 424 (failed dependency).
    const failed = results.findIndex((result) => result.statusCode >= 400 && result.statusCode !== StatusCodes.FailedDependency);
    if (failed >= 0) {
      const reason = toStoreError({ statusCode: results[failed]!.statusCode, message: `status ${results[failed]!.statusCode}` });
      throw new BatchError(failed, reason instanceof StoreError ? reason : new StoreError('validation', `status ${results[failed]!.statusCode}`));
    }
    return results.map((result) => (result.resourceBody ? stripSystemFields<T>(result.resourceBody) : null));
  }

  async search(query: SearchQuery): Promise<SearchHit<Stored<T>>[]> {
    const limit = Math.min(Math.max(query.limit ?? 10, 1), 100);
    const spec = searchQuery(this.definition, query, limit);
    const { resources } = await mapped(() =>
      this.sdk.items.query<{ document: Record<string, unknown>; score?: number }>(spec, this.scope(query.partitionKey)).fetchAll(),
    );
    return resources.map((row, rank) => ({ document: stripSystemFields<T>(row.document), score: this.score(row.score, rank) }));
  }

  async changesSince(continuation?: string, options: { limit?: number } = {}): Promise<ChangeFeedPage<Stored<T>>> {
    const scope = { feed: this.definition.name };
    const iterator = this.sdk.items.getChangeFeedIterator<Record<string, unknown>>({
      changeFeedStartFrom: continuation ? ChangeFeedStartFrom.Continuation(unwrapToken(continuation, scope)) : ChangeFeedStartFrom.Beginning(),
      maxItemCount: Math.min(Math.max(options.limit ?? 100, 1), 1000),
    });
    const page = await mapped(() => iterator.readNext());
    return { items: (page.result ?? []).map((resource) => stripSystemFields<T>(resource)), continuation: wrapToken(page.continuationToken, scope) };
  }

  /**
   * Vector-only hits carry VectorDistance (cosine and dot product: similarity, higher is nearer;
   * euclidean: a distance, negated). Text and hybrid ranks cannot project BM25, so their score is
   * the reciprocal of the rank position: the order is exact, the number is not BM25.
   */
  private score(distance: number | undefined, rank: number): number {
    if (distance === undefined) return 1 / (rank + 1);
    return this.definition.vector?.distance === 'euclidean' ? -distance : distance;
  }

  private resource(response: { resource?: Record<string, unknown> }): Stored<T> {
    if (!response.resource) throw new StoreError('not_found', 'The document does not exist');
    return stripSystemFields<T>(response.resource);
  }

  private partitionKeyOf(document: T): PartitionKey {
    const value = this.definition.partitionKey.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
    if (typeof value !== 'string' && typeof value !== 'number') throw new StoreError('validation', `The document has no partition key (${this.definition.partitionKey})`);
    return value;
  }

  private scope(partitionKey: PartitionKey | undefined) {
    return partitionKey === undefined ? {} : { partitionKey };
  }
}

function toOperationInput<T extends Document>(operation: BatchOperation<T>): OperationInput {
  switch (operation.op) {
    case 'create':
      return { operationType: BulkOperationType.Create, resourceBody: operation.document as never };
    case 'upsert':
      return { operationType: BulkOperationType.Upsert, resourceBody: operation.document as never };
    case 'replace':
      return { operationType: BulkOperationType.Replace, id: operation.document.id, resourceBody: operation.document as never, ifMatch: operation.ifMatch };
    case 'delete':
      // The SDK's batch delete takes no If-Match; refusing beats silently dropping the check.
      if (operation.ifMatch) throw new StoreError('validation', 'A conditional delete cannot be part of a Cosmos DB batch; delete it on its own with ifMatch');
      return { operationType: BulkOperationType.Delete, id: operation.id };
    case 'patch':
      return { operationType: BulkOperationType.Patch, id: operation.id, resourceBody: { operations: patchOperations(operation.operations) as never }, ifMatch: operation.ifMatch };
  }
}
