import { ChangeFeedMode, ChangeFeedStartFrom, type Container as SdkContainer, type ItemDefinition, type PatchRequestBody, type RequestOptions } from '@azure/cosmos';
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
} from '../../../data/document-store';
import { BatchError, StoreError, type StoreErrorKind } from '../../../data/errors';
import { atIndex, firstFailure, hasAppend, MAX_BATCH_OPERATIONS, operationInput, resolveAppends } from './batch';
import { assertId, assertPartitionKey, checkDocument } from '../../../data/document-rules';
import { appendsAsSets, checkPatch, fromCosmos } from './documents';
import { storeErrorForStatus } from './errors';
import { request, silentLogger, type CosmosLogger } from './request';
import { aggregateQuery, assertSortServed, countQuery, filterPredicate, patchOperations, searchQuery, selectQuery } from './sql';
import { unwrapToken, wrapToken } from './tokens';

/** Bounded retries when a read-then-patch (append creating its array) races another writer. */
const MAX_PINNED_ATTEMPTS = 4;
/** A page may come back short while partitions are scanned; this bounds the round trips for one page. */
const MAX_PAGE_FETCHES = 20;

type Row = Record<string, unknown>;

const ifMatch = (etag: string | undefined): RequestOptions | undefined => (etag === undefined ? undefined : { accessCondition: { type: 'IfMatch', condition: etag } });
const isKind = (error: unknown, kind: StoreErrorKind) => error instanceof StoreError && error.kind === kind;

function pageLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new StoreError('validation', `limit must be a whole number from 1 to ${max}`);
  return limit;
}

/** One Cosmos container behind the port. Query text comes from `sql.ts`, document checks from `documents.ts`. */
export class CosmosContainer<T extends Document> implements Container<T> {
  constructor(
    private readonly sdk: SdkContainer,
    readonly definition: ContainerDefinition,
    private readonly logger: CosmosLogger = silentLogger,
  ) {}

  async create(document: T): Promise<Stored<T>> {
    const { body } = checkDocument(document, this.definition);
    return this.stored(await this.call('create', () => this.sdk.items.create(body)));
  }

  async read(partitionKey: PartitionKey, id: string): Promise<Stored<T> | null> {
    const key = assertPartitionKey(partitionKey);
    assertId(id);
    // The SDK answers a missing item with an empty resource and status 404 rather than throwing.
    const response = await this.call('read', () => this.sdk.item(id, key).read());
    return response.resource ? fromCosmos<T>(response.resource as Row) : null;
  }

  async replace(document: T, options: WriteOptions = {}): Promise<Stored<T>> {
    const { body, id, partitionKey } = checkDocument(document, this.definition);
    return this.stored(await this.call('replace', () => this.sdk.item(id, partitionKey).replace(body, ifMatch(options.ifMatch))));
  }

  async upsert(document: T, options: WriteOptions = {}): Promise<Stored<T>> {
    const { body } = checkDocument(document, this.definition);
    return this.stored(await this.call('upsert', () => this.sdk.items.upsert(body, ifMatch(options.ifMatch))));
  }

  async delete(partitionKey: PartitionKey, id: string, options: WriteOptions = {}): Promise<void> {
    const key = assertPartitionKey(partitionKey);
    assertId(id);
    await this.call('delete', () => this.sdk.item(id, key).delete(ifMatch(options.ifMatch)));
  }

  async patch(partitionKey: PartitionKey, id: string, operations: PatchOperation[], options: PatchOptions = {}): Promise<Stored<T>> {
    const key = assertPartitionKey(partitionKey);
    assertId(id);
    const checked = checkPatch(operations, this.definition);
    const condition = options.condition === undefined ? undefined : filterPredicate(options.condition);
    try {
      return await this.sendPatch(key, id, checked, condition, options.ifMatch);
    } catch (error) {
      // Cosmos refuses `add /-` when the array is absent; the port creates it (see appendsAsSets).
      if (!isKind(error, 'validation') || !checked.some((operation) => operation.op === 'append')) throw error;
    }
    return this.patchCreatingArrays(key, id, checked, condition, options.ifMatch);
  }

  async query(options: QueryOptions = {}): Promise<Page<Stored<T>>> {
    const limit = pageLimit(options.limit, 100, 1000);
    assertSortServed(this.definition, options.orderBy);
    const spec = selectQuery(options);
    const partitionKey = options.partitionKey === undefined ? undefined : assertPartitionKey(options.partitionKey);
    const scope = { container: this.definition.name, spec, partitionKey };
    let token = options.continuation === undefined ? undefined : unwrapToken(options.continuation, scope);
    const items: Stored<T>[] = [];
    // Cross-partition continuations need enableQueryControl, under which a page may come back short
    // (even empty) while more remain: read on, asking only for what is missing, until full or done.
    for (let fetches = 0; fetches < MAX_PAGE_FETCHES; fetches++) {
      const iterator = this.sdk.items.query<Row>(spec, {
        maxItemCount: limit - items.length,
        continuationToken: token,
        enableQueryControl: true,
        ...(partitionKey === undefined ? {} : { partitionKey }),
      });
      const page = await this.call('query', () => iterator.fetchNext());
      items.push(...(page.resources ?? []).map((resource) => fromCosmos<T>(resource)));
      token = page.continuationToken || undefined;
      if (token === undefined || items.length >= limit) break;
    }
    return { items, continuation: token === undefined ? null : wrapToken(token, scope) };
  }

  async count(options: Pick<QueryOptions, 'where' | 'partitionKey'> = {}): Promise<number> {
    const spec = countQuery(options.where);
    const { resources } = await this.call('count', () => this.sdk.items.query<number>(spec, this.scope(options.partitionKey)).fetchAll());
    return resources[0] ?? 0;
  }

  async aggregate(query: AggregateQuery): Promise<Record<string, Scalar>[]> {
    const { columns, ...spec } = aggregateQuery(query);
    const { resources } = await this.call('aggregate', () => this.sdk.items.query<Record<string, Scalar>>(spec, this.scope(query.partitionKey)).fetchAll());
    return resources.map((row) => Object.fromEntries(Object.entries(row).map(([alias, value]) => [columns[alias] ?? alias, value])));
  }

  async batch(partitionKey: PartitionKey, operations: BatchOperation<T>[]): Promise<(Stored<T> | null)[]> {
    const key = assertPartitionKey(partitionKey);
    if (!Array.isArray(operations) || operations.length > MAX_BATCH_OPERATIONS) {
      throw new StoreError('validation', `A batch has at most ${MAX_BATCH_OPERATIONS} operations`);
    }
    if (operations.length === 0) return [];
    let inputs = operations.map((operation, index) => atIndex(index, () => operationInput(operation, key, this.definition)));
    let pinned = new Set<number>();
    for (let attempt = 1; ; attempt++) {
      const response = await this.call('batch', () => this.sdk.items.batch(inputs, key));
      const results = response.result ?? [];
      const failure = firstFailure(results);
      if (!failure) return results.map((result) => (result.resourceBody ? fromCosmos<T>(result.resourceBody) : null));
      const appendToResolve = attempt === 1 && failure.reason.kind === 'validation' && hasAppend(operations[failure.index]);
      const raced = failure.reason.kind === 'precondition_failed' && pinned.has(failure.index);
      if (!(appendToResolve || raced) || attempt >= MAX_PINNED_ATTEMPTS) throw new BatchError(failure.index, failure.reason);
      ({ inputs, pinned } = await resolveAppends(operations, key, this.definition, (id) => this.read(key, id)));
    }
  }

  async search(query: SearchQuery): Promise<SearchHit<Stored<T>>[]> {
    const limit = pageLimit(query.limit, 10, 100);
    if (query.text === undefined && query.vector === undefined) throw new StoreError('validation', 'A search needs text, a vector or both');
    const built = searchQuery(this.definition, query, limit);
    if (!built) return [];
    const { resources } = await this.call('search', () => this.sdk.items.query<Row>(built.spec, this.scope(query.partitionKey)).fetchAll());
    if (built.kind === 'rank') {
      // FullTextScore and RRF cannot be projected, so the score is the rank's reciprocal: the order is Cosmos's, the number is not BM25.
      return resources.map((row, position) => ({ document: fromCosmos<T>(row), score: 1 / (position + 1) }));
    }
    // VectorDistance is a similarity for cosine and dot product and a distance for euclidean (negated: higher is nearer).
    const sign = this.definition.vector?.distance === 'euclidean' ? -1 : 1;
    return resources
      .filter((row) => typeof row.score === 'number' && typeof row.document === 'object' && row.document !== null)
      .map((row) => ({ document: fromCosmos<T>(row.document as Row), score: sign * (row.score as number) }));
  }

  async changesSince(continuation?: string, options: { limit?: number } = {}): Promise<ChangeFeedPage<Stored<T>>> {
    const limit = pageLimit(options.limit, 100, 1000);
    const scope = { container: this.definition.name, feed: 'latest-version' };
    const iterator = this.sdk.items.getChangeFeedIterator<Row>({
      changeFeedStartFrom: continuation === undefined ? ChangeFeedStartFrom.Beginning() : ChangeFeedStartFrom.Continuation(unwrapToken(continuation, scope)),
      changeFeedMode: ChangeFeedMode.LatestVersion,
      maxItemCount: limit,
    });
    // readNext moves across feed ranges until one has changes; a 304 page is empty but still carries the position.
    const page = await this.call('changeFeed', () => iterator.readNext());
    return { items: (page.result ?? []).map((resource) => fromCosmos<T>(resource)), continuation: wrapToken(page.continuationToken, scope) };
  }

  private call<R>(operation: string, run: () => Promise<R>): Promise<R> {
    return request(this.logger, { container: this.definition.name, operation }, run);
  }

  private async sendPatch(partitionKey: PartitionKey, id: string, operations: PatchOperation[], condition: string | undefined, etag: string | undefined) {
    const body: PatchRequestBody = condition === undefined ? patchOperations(operations) : { operations: patchOperations(operations), condition };
    return this.stored(await this.call('patch', () => this.sdk.item(id, partitionKey).patch(body, ifMatch(etag))));
  }

  /** Read, turn appends to absent fields into sets, and patch pinned to the version read, so nothing slips in between. */
  private async patchCreatingArrays(partitionKey: PartitionKey, id: string, operations: PatchOperation[], condition: string | undefined, etag: string | undefined) {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(partitionKey, id);
      if (!current) throw new StoreError('not_found', 'The document does not exist');
      if (etag !== undefined && current._etag !== etag) throw storeErrorForStatus(412)!;
      try {
        return await this.sendPatch(partitionKey, id, appendsAsSets(operations, current), condition, current._etag);
      } catch (error) {
        // A 412 is another writer (retry) unless the document is unchanged, when the condition did not hold.
        if (!isKind(error, 'precondition_failed') || etag !== undefined || attempt >= MAX_PINNED_ATTEMPTS) throw error;
        if ((await this.read(partitionKey, id))?._etag === current._etag) throw error;
      }
    }
  }

  private stored(response: { resource?: ItemDefinition }): Stored<T> {
    if (!response.resource) throw new StoreError('not_found', 'The document does not exist');
    return fromCosmos<T>(response.resource as Row);
  }

  private scope(partitionKey: PartitionKey | undefined) {
    return partitionKey === undefined ? {} : { partitionKey: assertPartitionKey(partitionKey) };
  }
}
