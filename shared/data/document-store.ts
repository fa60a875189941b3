/**
 * The document-store port: what domain code needs from Cosmos DB for NoSQL, small enough that an
 * embedded SQLite adapter can honour exactly the same contract (tests/contract/document-store).
 *
 * Documents are JSON objects with a string `id`, grouped by a partition key. Field paths are
 * dotted names (`address.country`); they come from code, never from users, and adapters reject
 * anything else. Values in filters are always passed as parameters.
 */

export type Scalar = string | number | boolean | null;
export type PartitionKey = string | number;

export interface Document {
  id: string;
  [field: string]: unknown;
}

/** What every read or write returns: the document plus the store's version and timestamp. */
export type Stored<T extends Document> = T & {
  /** Opaque version; pass it back as `ifMatch` for optimistic concurrency. */
  _etag: string;
  /** Last write, seconds since the epoch (Cosmos `_ts`). */
  _ts: number;
};

export interface VectorField {
  /** Dotted path of a number[] field. */
  path: string;
  dimensions: number;
  distance: 'cosine' | 'euclidean' | 'dotproduct';
}

/** A container, declared once in code (shared/data/containers.ts); adapters create it idempotently. */
export interface ContainerDefinition {
  name: string;
  /** Dotted path of the partition key field, e.g. `expertId`; the value must be a string or number. */
  partitionKey: string;
  /** Fields filtered or sorted on; SQLite builds expression indexes, Cosmos keeps them in its indexing policy. */
  indexes?: string[];
  /** Multi-field sorts that must be served by an index (Cosmos composite indexes). */
  compositeIndexes?: { path: string; order: 'asc' | 'desc' }[][];
  /** Fields searched as text (BM25 ranking): Cosmos full-text policy, SQLite FTS5. */
  textFields?: string[];
  /** One vector field for similarity search: Cosmos vector policy, sqlite-vec. */
  vector?: VectorField;
  /** Documents expire this many seconds after their last write (Cosmos TTL); a document's own `ttl` overrides. */
  defaultTtlSeconds?: number;
}

export type Condition =
  | { field: string; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: Scalar }
  | { field: string; op: 'in'; values: Scalar[] }
  /** The array at `field` contains `value`. */
  | { field: string; op: 'contains'; value: Scalar }
  | { field: string; op: 'startsWith'; value: string }
  /** The field is present (true) or absent (false). */
  | { field: string; op: 'defined'; value: boolean }
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition };

export interface SortKey {
  field: string;
  direction?: 'asc' | 'desc';
}

export interface QueryOptions {
  where?: Condition;
  /** Sorted by these, then by `id` so pages are stable. */
  orderBy?: SortKey[];
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  /** From a previous page's `continuation`. */
  continuation?: string;
  /** Restricts the query to one partition (cheaper); omitted = across partitions. */
  partitionKey?: PartitionKey;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null when there is nothing more. */
  continuation: string | null;
}

export type PatchOperation =
  | { op: 'set'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'increment'; path: string; value: number }
  /** Appends to the array at `path` (created if absent). */
  | { op: 'append'; path: string; value: unknown };

export interface WriteOptions {
  /** The `_etag` the caller last read; a different current version fails with `precondition_failed`. */
  ifMatch?: string;
}

export interface PatchOptions extends WriteOptions {
  /** The patch applies only if the current document matches; otherwise `precondition_failed`. */
  condition?: Condition;
}

export type BatchOperation<T extends Document> =
  | { op: 'create'; document: T }
  | { op: 'upsert'; document: T }
  | { op: 'replace'; document: T; ifMatch?: string }
  | { op: 'delete'; id: string; ifMatch?: string }
  | { op: 'patch'; id: string; operations: PatchOperation[]; ifMatch?: string };

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

export interface AggregateQuery {
  where?: Condition;
  /** Fields to group by (none = one row for everything). */
  groupBy: string[];
  /** Output name → function and field (`count` needs no field). */
  aggregates: Record<string, { fn: AggregateFunction; field?: string }>;
  partitionKey?: PartitionKey;
}

export interface SearchQuery {
  /** Free text ranked by BM25 over the container's text fields. */
  text?: string;
  /** Nearest neighbours of this vector in the container's vector field. */
  vector?: number[];
  where?: Condition;
  /** 1..100 (default 10). */
  limit?: number;
  partitionKey?: PartitionKey;
}

export interface SearchHit<T> {
  document: T;
  /**
   * Higher is better; compare scores within one result list only. Vector only: similarity
   * (1 - cosine distance, or negated distance) on both adapters. Text, or text and vector: on
   * SQLite BM25 relevance / reciprocal rank fusion of the two rankings; on Cosmos the order is
   * Cosmos's own (`ORDER BY RANK FullTextScore` / `RANK RRF`) but the number is 1/position,
   * because Cosmos cannot project those scores.
   */
  score: number;
}

export interface ChangeFeedPage<T> {
  /**
   * Created or updated documents since the token (a document appears once, latest version).
   * Oldest first within a partition key; across partitions the order is not global (Cosmos reads
   * each feed range in turn), so consumers must not rely on cross-partition order. Deletes do not
   * appear (soft-delete or TTL where a consumer needs to see them).
   */
  items: T[];
  /** Pass back to continue; never null (an empty page keeps the same position). */
  continuation: string;
}

export interface Container<T extends Document> {
  readonly definition: ContainerDefinition;
  /** Fails with `conflict` when the id exists in the partition. */
  create(document: T): Promise<Stored<T>>;
  /** Null when absent. */
  read(partitionKey: PartitionKey, id: string): Promise<Stored<T> | null>;
  /** Fails with `not_found` when absent, `precondition_failed` on a stale `ifMatch`. */
  replace(document: T, options?: WriteOptions): Promise<Stored<T>>;
  upsert(document: T, options?: WriteOptions): Promise<Stored<T>>;
  /** Fails with `not_found` when absent, `precondition_failed` on a stale `ifMatch`. */
  delete(partitionKey: PartitionKey, id: string, options?: WriteOptions): Promise<void>;
  patch(partitionKey: PartitionKey, id: string, operations: PatchOperation[], options?: PatchOptions): Promise<Stored<T>>;
  query(options?: QueryOptions): Promise<Page<Stored<T>>>;
  count(options?: Pick<QueryOptions, 'where' | 'partitionKey'>): Promise<number>;
  aggregate(query: AggregateQuery): Promise<Record<string, Scalar>[]>;
  /**
   * All operations in one partition, all or nothing; a failure throws `BatchError` naming the operation.
   * One result per operation, in order: the written document, or null for a delete.
   */
  batch(partitionKey: PartitionKey, operations: BatchOperation<T>[]): Promise<(Stored<T> | null)[]>;
  search(query: SearchQuery): Promise<SearchHit<Stored<T>>[]>;
  /** Changes since a token (undefined = from the beginning), for projections and incremental backups. */
  changesSince(continuation?: string, options?: { limit?: number }): Promise<ChangeFeedPage<Stored<T>>>;
}

export interface DocumentStore {
  /** Creates the container if needed (idempotent) and returns its handle. */
  container<T extends Document>(definition: ContainerDefinition): Promise<Container<T>>;
  /** Proves the store answers (readiness check). */
  ping(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
