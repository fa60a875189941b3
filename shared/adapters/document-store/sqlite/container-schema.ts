import type Database from 'better-sqlite3';
import type { ContainerDefinition } from '../../../data/document-store';
import { assertFieldPath } from '../../../data/errors';
import type { FieldResolver } from './condition-sql';
import { expiresAt } from './documents';
import { fieldExpressions, jsonPath } from './typed-json';

/** A table kept in step with the documents table, keyed by its `seq`. */
export interface DerivedTable {
  name: string;
  /** SQL that fills it from the documents; `oneRow` restricts it to `seq = ?`. */
  fill(oneRow: boolean): string;
}

/** The SQLite objects behind one container. */
export interface ContainerTables {
  docs: string;
  /** FTS5 over the text fields (null without text fields). */
  fts: DerivedTable | null;
  /** vec0 over the vector field (null without one). */
  vec: DerivedTable | null;
  /** Fields with generated (rank, value) columns, which their indexes are built on. */
  indexed: ReadonlySet<string>;
}

/**
 * Creates a container's tables if needed. A definition that changed since they were built (an index, text fields,
 * the vector, TTL) rebuilds every derived structure from the stored documents; the partition key cannot change.
 */
export function ensureContainer(db: Database.Database, definition: ContainerDefinition): ContainerTables {
  assertDefinition(definition);
  const shape = JSON.stringify(storedShape(definition));
  return db
    .transaction(() => {
      const row = db.prepare('SELECT number, definition FROM fx_containers WHERE name = ?').get(definition.name) as { number: number; definition: string } | undefined;
      const number = row?.number ?? (db.prepare('SELECT coalesce(max(number), 0) + 1 AS next FROM fx_containers').get() as { next: number }).next;
      const tables = containerTables(number, definition);
      if (row === undefined) {
        db.exec(documentsTable(tables.docs));
        buildDerived(db, tables, definition);
        db.prepare('INSERT INTO fx_containers (name, number, definition) VALUES (?, ?, ?)').run(definition.name, number, shape);
      } else if (row.definition !== shape) {
        const previous = JSON.parse(row.definition) as { partitionKey: string };
        if (previous.partitionKey !== definition.partitionKey) {
          throw new Error(`Container ${definition.name} is partitioned by ${previous.partitionKey}; a partition key cannot change`);
        }
        dropDerived(db, number);
        buildDerived(db, tables, definition);
        db.prepare('UPDATE fx_containers SET definition = ? WHERE name = ?').run(shape, definition.name);
      }
      return tables;
    })
    .immediate();
}

/** Indexed fields read their generated columns (so the planner matches the indexes); others the JSON itself. */
export function fieldResolver(tables: ContainerTables): FieldResolver {
  return (field) => (tables.indexed.has(field) ? { rank: `"t:${field}"`, value: `"v:${field}"` } : fieldExpressions(field));
}

/**
 * `seq` is the change-feed order: every write deletes the old row and inserts a new one, and AUTOINCREMENT never
 * reuses a number. `pk` has no declared type so "1" and 1 stay different partition keys, as in Cosmos.
 */
function documentsTable(docs: string): string {
  return `
    CREATE TABLE ${docs} (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      pk          NOT NULL,
      id          TEXT NOT NULL,
      doc         TEXT NOT NULL,
      etag        TEXT NOT NULL,
      ts          INTEGER NOT NULL,
      expires_at  INTEGER,
      UNIQUE (pk, id)
    );
    CREATE INDEX ${docs}_by_id ON ${docs} (id, pk);
    CREATE INDEX ${docs}_by_expiry ON ${docs} (expires_at) WHERE expires_at IS NOT NULL;`;
}

function containerTables(number: number, definition: ContainerDefinition): ContainerTables {
  const docs = `fx_docs_${number}`;
  const only = (oneRow: boolean) => (oneRow ? ' AND seq = ?' : '');
  const textFields = definition.textFields ?? [];
  const fts = `fx_fts_${number}`;
  const vec = `fx_vec_${number}`;
  const vectorPath = definition.vector && jsonPath(definition.vector.path);
  return {
    docs,
    fts:
      textFields.length === 0
        ? null
        : {
            name: fts,
            fill: (oneRow) =>
              `INSERT INTO ${fts} (rowid, ${textFields.map((_, i) => `f${i}`).join(', ')}) SELECT seq, ${textFields.map(searchableText).join(', ')} FROM ${docs} WHERE 1${only(oneRow)}`,
          },
    vec:
      vectorPath === undefined
        ? null
        : {
            name: vec,
            fill: (oneRow) => `INSERT INTO ${vec} (rowid, embedding) SELECT seq, json_extract(doc, ${vectorPath}) FROM ${docs} WHERE json_type(doc, ${vectorPath}) = 'array'${only(oneRow)}`,
          },
    indexed: new Set([...(definition.indexes ?? []), ...(definition.compositeIndexes ?? []).flat().map((part) => part.path)]),
  };
}

/** A text field's searchable text: a string, or the strings of an array (e.g. specializations) joined. */
function searchableText(field: string): string {
  const path = jsonPath(field);
  return `CASE json_type(doc, ${path}) WHEN 'text' THEN json_extract(doc, ${path}) WHEN 'array' THEN (SELECT group_concat(value, ' ') FROM json_each(doc, ${path}) WHERE type = 'text') END`;
}

const VEC_METRIC = { cosine: 'cosine', euclidean: 'l2', dotproduct: 'l2' } as const;

function buildDerived(db: Database.Database, tables: ContainerTables, definition: ContainerDefinition): void {
  const { docs } = tables;
  for (const field of tables.indexed) {
    // VIRTUAL and untyped: computed on read, no affinity to turn a string into a number.
    const { rank, value } = fieldExpressions(field);
    db.exec(`ALTER TABLE ${docs} ADD COLUMN "t:${field}" GENERATED ALWAYS AS ${rank} VIRTUAL`);
    db.exec(`ALTER TABLE ${docs} ADD COLUMN "v:${field}" GENERATED ALWAYS AS (${value}) VIRTUAL`);
  }
  // Each index ends with the tie-breakers (id, pk) so a sorted page is read straight from it.
  const indexes = [...(definition.indexes ?? []).map((path) => [{ path, order: 'asc' as const }]), ...(definition.compositeIndexes ?? [])];
  indexes.forEach((parts, i) => {
    const tieBreak = parts.at(-1)!.order.toUpperCase();
    const columns = parts.flatMap(({ path, order }) => [`"t:${path}" ${order.toUpperCase()}`, `"v:${path}" ${order.toUpperCase()}`]);
    db.exec(`CREATE INDEX fx_ix_${docs}_${i} ON ${docs} (${columns.join(', ')}, id ${tieBreak}, pk ${tieBreak})`);
  });
  if (tables.fts) {
    const columns = definition.textFields!.map((_, i) => `f${i}`).join(', ');
    // Contentless: the text lives in the documents; contentless_delete lets a row be dropped by rowid alone.
    db.exec(`CREATE VIRTUAL TABLE ${tables.fts.name} USING fts5(${columns}, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`);
    db.exec(tables.fts.fill(false));
  }
  if (tables.vec) {
    const { dimensions, distance } = definition.vector!;
    db.exec(`CREATE VIRTUAL TABLE ${tables.vec.name} USING vec0(embedding float[${dimensions}] distance_metric=${VEC_METRIC[distance]})`);
    db.exec(tables.vec.fill(false));
  }
  const rows = db.prepare(`SELECT seq, ts, json_extract(doc, '$.ttl') AS ttl FROM ${docs}`).all() as { seq: number; ts: number; ttl: unknown }[];
  const setExpiry = db.prepare(`UPDATE ${docs} SET expires_at = ? WHERE seq = ?`);
  for (const row of rows) setExpiry.run(expiresAt(row.ttl, row.ts, definition), row.seq);
}

/** Drops what the previous definition built (its FTS or vector table may be absent from the new one). */
function dropDerived(db: Database.Database, number: number): void {
  const docs = `fx_docs_${number}`;
  const indexes = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND name LIKE 'fx_ix_%'`).all(docs) as { name: string }[];
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  db.exec(`DROP TABLE IF EXISTS fx_fts_${number}; DROP TABLE IF EXISTS fx_vec_${number};`);
  const columns = db.pragma(`table_xinfo(${docs})`) as { name: string; hidden: number }[];
  for (const { name } of columns.filter((column) => column.hidden === 2 || column.hidden === 3)) db.exec(`ALTER TABLE ${docs} DROP COLUMN "${name}"`);
}

function storedShape(definition: ContainerDefinition) {
  return {
    partitionKey: definition.partitionKey,
    indexes: definition.indexes ?? [],
    compositeIndexes: definition.compositeIndexes ?? [],
    textFields: definition.textFields ?? [],
    vector: definition.vector ?? null,
    defaultTtlSeconds: definition.defaultTtlSeconds ?? null,
  };
}

/** Definitions come from code: a bad one is a bug, reported as a plain error. */
function assertDefinition(definition: ContainerDefinition): void {
  const { name, partitionKey, indexes = [], compositeIndexes = [], textFields = [], vector, defaultTtlSeconds } = definition;
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || /[/\\?#]/.test(name) || name.endsWith(' ')) {
    throw new Error(`Invalid container name "${name}": 1-255 characters, none of / \\ ? #, no trailing space`);
  }
  [partitionKey, ...indexes, ...compositeIndexes.flat().map((part) => part.path), ...textFields].forEach(assertFieldPath);
  if (compositeIndexes.some((parts) => parts.length < 2 || parts.some((part) => part.order !== 'asc' && part.order !== 'desc'))) {
    throw new Error(`Container ${name}: a composite index has at least two paths, each asc or desc`);
  }
  if (vector) {
    assertFieldPath(vector.path);
    if (!Number.isInteger(vector.dimensions) || vector.dimensions < 1 || vector.dimensions > 4096 || !Object.hasOwn(VEC_METRIC, vector.distance)) {
      throw new Error(`Container ${name}: a vector has 1-4096 dimensions and a distance of cosine, euclidean or dotproduct`);
    }
  }
  if (defaultTtlSeconds !== undefined && defaultTtlSeconds !== -1 && !(Number.isInteger(defaultTtlSeconds) && defaultTtlSeconds > 0)) {
    throw new Error(`Container ${name}: defaultTtlSeconds is -1 (TTL on, no default) or a positive whole number`);
  }
}
