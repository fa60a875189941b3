import type Database from 'better-sqlite3';
import type { Document, PartitionKey, Stored } from '../../../data/document-store';
import type { ContainerTables } from './container-schema';
import type { PreparedDocument } from './documents';

export interface DocumentRow {
  seq: number;
  doc: string;
  etag: string;
  ts: number;
  expires_at: number | null;
}

/** The columns every read selects to rebuild a stored document. */
export const STORED_COLUMNS = 'seq, doc, etag, ts, expires_at';

export function toStored<T extends Document>(row: Pick<DocumentRow, 'doc' | 'etag' | 'ts'>): Stored<T> {
  return Object.assign(JSON.parse(row.doc) as T, { _etag: row.etag, _ts: row.ts });
}

/**
 * Row-level writes of one container, called inside the write's transaction: the FTS and vector rows change with
 * the document's, so search never sees a version the documents table does not have.
 */
export class DocumentRows {
  private readonly findRow: Database.Statement<[PartitionKey, string], DocumentRow>;
  private readonly insertRow: Database.Statement<[PartitionKey, string, string, string, number, number | null]>;
  private readonly deleteRow: Database.Statement<[number]>;
  private readonly expiredRows: Database.Statement<[number], number>;
  private readonly indexRow: Database.Statement<[number]>[] = [];
  private readonly unindexRow: Database.Statement<[number]>[] = [];

  constructor(db: Database.Database, tables: ContainerTables) {
    const { docs, fts, vec } = tables;
    this.findRow = db.prepare(`SELECT ${STORED_COLUMNS} FROM ${docs} WHERE pk = ? AND id = ?`);
    this.insertRow = db.prepare(`INSERT INTO ${docs} (pk, id, doc, etag, ts, expires_at) VALUES (?, ?, ?, ?, ?, ?)`);
    this.deleteRow = db.prepare(`DELETE FROM ${docs} WHERE seq = ?`);
    this.expiredRows = db.prepare<[number], number>(`SELECT seq FROM ${docs} WHERE expires_at <= ?`).pluck();
    for (const derived of [fts, vec]) {
      if (derived === null) continue;
      this.indexRow.push(db.prepare(derived.fill(true)));
      this.unindexRow.push(db.prepare(`DELETE FROM ${derived.name} WHERE rowid = ?`));
    }
  }

  find(partitionKey: PartitionKey, id: string): DocumentRow | undefined {
    return this.findRow.get(partitionKey, id);
  }

  insert(document: PreparedDocument, etag: string, ts: number, expiresAt: number | null): number {
    const seq = Number(this.insertRow.run(document.partitionKey, document.id, document.json, etag, ts, expiresAt).lastInsertRowid);
    for (const statement of this.indexRow) statement.run(seq);
    return seq;
  }

  remove(seq: number): void {
    this.deleteRow.run(seq);
    for (const statement of this.unindexRow) statement.run(seq);
  }

  /** Documents whose TTL has passed, for the lazy purge. */
  expired(nowSeconds: number): number[] {
    return this.expiredRows.all(nowSeconds);
  }
}
