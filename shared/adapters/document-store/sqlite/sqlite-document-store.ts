import type Database from 'better-sqlite3';
import type { Container, ContainerDefinition, Document, DocumentStore } from '../../../data/document-store';
import { openDatabase, StatementCache } from './connection';
import { ensureContainer } from './container-schema';
import { SqliteContainer } from './sqlite-container';

export interface SqliteDocumentStoreOptions {
  /** Milliseconds since the epoch; tests inject a fake clock to move TTL and `_ts`. */
  now?: () => number;
  /** How long a write waits for another connection's lock before failing with `throttled`. */
  busyTimeoutMs?: number;
  /** Receives every SQL statement run, with its parameters inlined (debugging, query-plan checks). */
  logSql?: (sql: string) => void;
}

/**
 * The embedded document store: one SQLite file (WAL) with a table per container, FTS5 for text and sqlite-vec
 * for vectors. Honours the same contract as the Cosmos adapter (tests/contract).
 */
export class SqliteDocumentStore implements DocumentStore {
  private readonly statements: StatementCache;
  private readonly containers = new Map<string, { key: string; container: SqliteContainer<Document> }>();

  private constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.statements = new StatementCache(db);
  }

  /** Opens (creating if needed) the store at `filename`; `':memory:'` gives a throwaway store. */
  static open(filename: string, options: SqliteDocumentStoreOptions = {}): SqliteDocumentStore {
    return new SqliteDocumentStore(openDatabase(filename, options.busyTimeoutMs ?? 5_000, options.logSql), options.now ?? Date.now);
  }

  async container<T extends Document>(definition: ContainerDefinition): Promise<Container<T>> {
    const key = JSON.stringify(definition);
    const known = this.containers.get(definition.name);
    if (known?.key === key) return known.container as unknown as Container<T>;
    const tables = ensureContainer(this.db, definition);
    const container = new SqliteContainer<T>(this.db, definition, tables, this.statements, this.now);
    this.containers.set(definition.name, { key, container: container as unknown as SqliteContainer<Document> });
    return container;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.containers.clear();
    if (this.db.open) this.db.close();
  }
}
