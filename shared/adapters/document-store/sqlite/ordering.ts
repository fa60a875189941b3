import { createHash } from 'node:crypto';
import type { ContainerDefinition, QueryOptions, SortKey } from '../../../data/document-store';
import { assertFieldPath, StoreError } from '../../../data/errors';
import { assertSortServed } from '../../../data/index-rules';
import type { FieldResolver } from './condition-sql';
import { sql, type Sql, type SqlParam } from './sql';
import { decodeToken, encodeToken } from './tokens';

type Direction = 'asc' | 'desc';

export interface SortColumn {
  sql: string;
  direction: Direction;
}

/**
 * The columns a query is ordered by: each sort key as (rank, value), then `id` and `pk`, which make the order
 * total (an id repeats across partitions) so keyset pages neither repeat nor skip. The tie-breakers take the last
 * key's direction, so one index scan serves the whole order (in Cosmos, a composite index ending in `id`). A last
 * key on `id` is the tie-breaker itself.
 */
export function sortColumns(orderBy: SortKey[] | undefined, definition: ContainerDefinition, field: FieldResolver): SortColumn[] {
  const keys = (orderBy ?? []).map(({ field, direction = 'asc' }) => {
    if (direction !== 'asc' && direction !== 'desc') throw new StoreError('validation', `Unknown sort direction "${direction}"`);
    return { field: assertFieldPath(field), direction };
  });
  const tieBreak = keys.at(-1)?.direction ?? 'asc';
  if (keys.at(-1)?.field === 'id') keys.pop();
  assertSortServed(definition, keys);
  return [
    ...keys.flatMap(({ field: path, direction }) => {
      const f = field(path);
      return [
        { sql: f.rank, direction },
        { sql: f.value, direction },
      ];
    }),
    { sql: 'id', direction: tieBreak },
    { sql: 'pk', direction: tieBreak },
  ];
}

export function orderByClause(columns: SortColumn[]): string {
  return columns.map((column) => `${column.sql} ${column.direction.toUpperCase()}`).join(', ');
}

/**
 * "Comes after this row" in the given order. Columns with the same direction compare as one row value, which
 * SQLite can seek in an index; a change of direction nests: (A > a) OR (A = a AND (B < b ...)).
 */
export function keysetPredicate(columns: SortColumn[], values: readonly SqlParam[]): Sql {
  const runs: { direction: Direction; columns: string[]; values: SqlParam[] }[] = [];
  columns.forEach((column, i) => {
    const run = runs.at(-1);
    if (run?.direction === column.direction) {
      run.columns.push(column.sql);
      run.values.push(values[i]);
    } else runs.push({ direction: column.direction, columns: [column.sql], values: [values[i]] });
  });
  return runs.reduceRight<Sql | null>((rest, run) => {
    const row = `(${run.columns.join(', ')})`;
    const params = `(${run.values.map(() => '?').join(', ')})`;
    const after = `${row} ${run.direction === 'asc' ? '>' : '<'} ${params}`;
    return rest === null ? sql(after, ...run.values) : sql(`(${after} OR (${row} = ${params} AND ${rest.text}))`, ...run.values, ...run.values, ...rest.params);
  }, null)!;
}

interface QueryToken {
  q: string;
  k: SqlParam[];
}

/** Ties a token to the query that produced it, so a token replayed against another query is refused. */
export function queryFingerprint(container: string, options: QueryOptions): string {
  const shape = JSON.stringify([container, options.where ?? null, options.orderBy ?? [], options.partitionKey ?? null]);
  return createHash('sha256').update(shape).digest('base64url').slice(0, 16);
}

export function encodeContinuation(fingerprint: string, values: SqlParam[]): string {
  return encodeToken({ q: fingerprint, k: values } satisfies QueryToken);
}

export function decodeContinuation(token: string, fingerprint: string, columns: number): SqlParam[] {
  const isQueryToken = (payload: unknown): payload is QueryToken => {
    const candidate = payload as QueryToken | null;
    return (
      typeof candidate === 'object' &&
      candidate !== null &&
      candidate.q === fingerprint &&
      Array.isArray(candidate.k) &&
      candidate.k.length === columns &&
      candidate.k.every((value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))
    );
  };
  return decodeToken(token, isQueryToken).k;
}
