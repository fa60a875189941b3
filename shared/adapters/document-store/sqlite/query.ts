import type { Condition, Document, Page, PartitionKey, QueryOptions, Stored } from '../../../data/document-store';
import { pageLimit, visibleDocuments, type ContainerContext } from './container-context';
import { STORED_COLUMNS, toStored, type DocumentRow } from './document-rows';
import { decodeContinuation, encodeContinuation, keysetPredicate, orderByClause, queryFingerprint, sortColumns } from './ordering';
import { joinSql, type SqlParam } from './sql';

/** A page in sort order; the continuation is the last row's sort keys (keyset), so inserts never shift pages. */
export function runQuery<T extends Document>(context: ContainerContext, options: QueryOptions = {}): Page<Stored<T>> {
  const limit = pageLimit(options.limit, 100, 1000);
  const columns = sortColumns(options.orderBy, context.definition, context.field);
  const fingerprint = queryFingerprint(context.definition.name, options);
  const filters = [visibleDocuments(context, options)];
  if (options.continuation != null) {
    filters.push(keysetPredicate(columns, decodeContinuation(options.continuation, fingerprint, columns.length)));
  }
  const where = joinSql(filters, ' AND ');
  const keys = columns.map((column, i) => `${column.sql} AS k${i}`).join(', ');
  const text = `SELECT ${STORED_COLUMNS}, ${keys} FROM ${context.tables.docs} WHERE ${where.text} ORDER BY ${orderByClause(columns)} LIMIT ?`;
  const rows = context.statements.get(text).all(...where.params, limit + 1) as (DocumentRow & Record<string, SqlParam>)[];
  const items = rows.slice(0, limit);
  const last = rows.length > limit ? items[limit - 1] : undefined;
  return {
    items: items.map((row) => toStored<T>(row)),
    continuation: last
      ? encodeContinuation(
          fingerprint,
          columns.map((_, i) => last[`k${i}`]),
        )
      : null,
  };
}

export function runCount(context: ContainerContext, scope: { where?: Condition; partitionKey?: PartitionKey } = {}): number {
  const where = visibleDocuments(context, scope);
  const row = context.statements.get(`SELECT count(*) AS n FROM ${context.tables.docs} WHERE ${where.text}`).get(...where.params) as { n: number };
  return row.n;
}
