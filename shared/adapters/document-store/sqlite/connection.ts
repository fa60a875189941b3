import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { StoreError } from '../../../data/errors';

/** One row per container: its table number and the definition its tables were built from. */
const CATALOG = `
CREATE TABLE IF NOT EXISTS fx_containers (
  name        TEXT PRIMARY KEY,
  number      INTEGER NOT NULL UNIQUE,
  definition  TEXT NOT NULL
)`;

export function openDatabase(filename: string, busyTimeoutMs: number, logSql?: (sql: string) => void): Database.Database {
  const db = new Database(filename, { timeout: busyTimeoutMs, verbose: logSql && ((message) => logSql(String(message))) });
  try {
    sqliteVec.load(db);
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL survives a process crash; only an OS crash could lose the last commits.
    db.pragma('synchronous = NORMAL');
    // sqlite-vec has no dot-product distance, so dotproduct vectors are ranked with this.
    db.function('fx_dot', { deterministic: true }, (a: unknown, b: unknown) => dot(a as Buffer, b as Buffer));
    db.exec(CATALOG);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function dot(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let offset = 0; offset < a.byteLength; offset += 4) sum += a.readFloatLE(offset) * b.readFloatLE(offset);
  return sum;
}

/** Prepared statements for the SQL that queries build, reused while they stay in use. */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 256,
  ) {}

  get(text: string): Database.Statement {
    const statement = this.statements.get(text) ?? this.db.prepare(text);
    this.statements.delete(text);
    this.statements.set(text, statement); // most recently used last
    if (this.statements.size > this.capacity) this.statements.delete(this.statements.keys().next().value!);
    return statement;
  }
}

/** Another connection holding the write lock past the busy timeout is throttling, as Cosmos's 429. */
export function withStoreErrors<R>(operation: () => R): R {
  try {
    return operation();
  } catch (error) {
    if (error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
      throw new StoreError('throttled', 'The local document store is busy; retry shortly', { retryAfterMs: 1000, cause: error });
    }
    throw error;
  }
}
