import type { Document, SearchHit, SearchQuery, Stored } from '../../../data/document-store';
import { StoreError } from '../../../data/errors';
import { pageLimit, visibleDocuments, type ContainerContext } from './container-context';
import { STORED_COLUMNS, toStored, type DocumentRow } from './document-rows';
import { assertVector } from '../../../data/document-rules';
import { ftsQuery } from './fts-query';
import type { Sql } from './sql';

/** Reciprocal rank fusion constant, as in Cosmos `RANK RRF` and the original paper. */
const RRF_K = 60;
/** How deep each ranking is read before fusion (twice the largest page). */
const FUSION_DEPTH = 200;

interface Ranked {
  seq: number;
  score: number;
}

/** Text (BM25), vector (similarity) or both (RRF); run inside one read transaction so rankings and rows agree. */
export function runSearch<T extends Document>(context: ContainerContext, query: SearchQuery): SearchHit<Stored<T>>[] {
  const limit = pageLimit(query.limit, 10, 100);
  if (query.text === undefined && query.vector === undefined) throw new StoreError('validation', 'A search needs text, a vector or both');
  const filter = visibleDocuments(context, query);
  const hybrid = query.text !== undefined && query.vector !== undefined;
  const depth = hybrid ? FUSION_DEPTH : limit;
  const rankings: Ranked[][] = [];
  if (query.text !== undefined) rankings.push(textRanking(context, query.text, filter, depth));
  if (query.vector !== undefined) {
    const everything = query.where === undefined && query.partitionKey === undefined && !hasExpired(context);
    rankings.push(vectorRanking(context, query.vector, everything ? null : filter, depth));
  }
  return withDocuments(context, (hybrid ? fuse(rankings) : rankings[0]).slice(0, limit));
}

function textRanking(context: ContainerContext, text: string, filter: Sql, depth: number): Ranked[] {
  const { docs } = context.tables;
  const fts = context.tables.fts?.name;
  if (fts === undefined) throw new StoreError('validation', `Container ${context.definition.name} has no text fields to search`);
  if (typeof text !== 'string') throw new StoreError('validation', 'Search text must be a string');
  const match = ftsQuery(text);
  if (match === null) return [];
  // bm25() is lower-is-better; negated so a higher score is a better match.
  const statement = context.statements.get(
    `SELECT ${docs}.seq AS seq, -bm25(${fts}) AS score FROM ${fts} JOIN ${docs} ON ${docs}.seq = ${fts}.rowid
     WHERE ${fts} MATCH ? AND ${filter.text} ORDER BY score DESC, ${docs}.id LIMIT ?`,
  );
  return statement.all(match, ...filter.params, depth) as Ranked[];
}

/**
 * Nearest neighbours by the declared metric. A filter (or an expired document) restricts vec0's KNN to the visible
 * rows with `rowid IN (...)`, so the top k are the top k among matches, not matches among the top k. Without it the
 * KNN runs alone (null filter). sqlite-vec has no dot-product KNN: those vectors are scored one by one.
 */
function vectorRanking(context: ContainerContext, vector: number[], filter: Sql | null, depth: number): Ranked[] {
  const { docs } = context.tables;
  const vec = context.tables.vec?.name;
  const declared = context.definition.vector;
  if (vec === undefined || declared === undefined) throw new StoreError('validation', `Container ${context.definition.name} has no vector field`);
  assertVector(vector, declared.dimensions);
  const json = JSON.stringify(vector);
  const visible = filter === null ? '' : ` AND rowid IN (SELECT seq FROM ${docs} WHERE ${filter.text})`;
  const params = filter?.params ?? [];
  if (declared.distance === 'dotproduct') {
    const statement = context.statements.get(`SELECT rowid AS seq, fx_dot(embedding, vec_f32(?)) AS score FROM ${vec} WHERE 1${visible} ORDER BY score DESC LIMIT ?`);
    return statement.all(json, ...params, depth) as Ranked[];
  }
  const statement = context.statements.get(`SELECT rowid AS seq, distance FROM ${vec} WHERE embedding MATCH ? AND k = ?${visible}`);
  const rows = statement.all(json, depth, ...params) as { seq: number; distance: number }[];
  // Similarity, higher is better: 1 - cosine distance, or the negated euclidean distance.
  return rows.map(({ seq, distance }) => ({ seq, score: declared.distance === 'cosine' ? 1 - distance : -distance }));
}

function hasExpired(context: ContainerContext): boolean {
  if (context.definition.defaultTtlSeconds === undefined) return false;
  const statement = context.statements.get(`SELECT EXISTS (SELECT 1 FROM ${context.tables.docs} WHERE expires_at <= ?) AS expired`);
  return (statement.get(context.nowSeconds()) as { expired: number }).expired === 1;
}

/** Reciprocal rank fusion: each ranking adds 1 / (k + rank) for the documents it holds. */
function fuse(rankings: Ranked[][]): Ranked[] {
  const scores = new Map<number, number>();
  for (const ranking of rankings) ranking.forEach(({ seq }, i) => scores.set(seq, (scores.get(seq) ?? 0) + 1 / (RRF_K + i + 1)));
  return [...scores].map(([seq, score]) => ({ seq, score })).sort((a, b) => b.score - a.score);
}

function withDocuments<T extends Document>(context: ContainerContext, ranked: Ranked[]): SearchHit<Stored<T>>[] {
  const statement = context.statements.get(`SELECT ${STORED_COLUMNS} FROM ${context.tables.docs} WHERE seq IN (SELECT value FROM json_each(?))`);
  const rows = new Map((statement.all(JSON.stringify(ranked.map(({ seq }) => seq))) as DocumentRow[]).map((row) => [row.seq, row]));
  return ranked.map(({ seq, score }) => ({ document: toStored<T>(rows.get(seq)!), score }));
}
