import type { AggregateFunction, AggregateQuery, Scalar } from '../../../data/document-store';
import { visibleDocuments, type ContainerContext } from './container-context';
import { fromTyped, Rank, type FieldSql } from './typed-json';

interface Aggregator {
  /** SQL aggregate expressions over the field's (rank, value). */
  columns(f: FieldSql): string[];
  /** Their results to the Cosmos answer; undefined leaves the key out, as Cosmos does. */
  read(values: unknown[]): Scalar | undefined;
}

const NOT_NUMBER = (f: FieldSql) => `count(CASE WHEN ${f.rank} NOT IN (${Rank.undefined}, ${Rank.number}) THEN 1 END)`;

/** MIN/MAX per type: whether there is a null, then the extreme boolean, number and string. */
function extremes(f: FieldSql, fn: 'min' | 'max'): string[] {
  const of = (rank: number) => `${fn}(CASE WHEN ${f.rank} = ${rank} THEN ${f.value} END)`;
  return [`count(CASE WHEN ${f.rank} = ${Rank.null} THEN 1 END)`, of(Rank.boolean), of(Rank.number), of(Rank.string)];
}

/** Those results in Cosmos's cross-type order (null < boolean < number < string), undefined where a type is absent. */
function byType([nulls, boolean, number, string]: unknown[]): (Scalar | undefined)[] {
  return [(nulls as number) > 0 ? null : undefined, boolean === null ? undefined : boolean === 1, (number ?? undefined) as number | undefined, (string ?? undefined) as string | undefined];
}

/**
 * Cosmos aggregate semantics: undefined values are ignored; SUM and AVG are undefined if any value is not a number;
 * MIN and MAX compare across types in the order null < boolean < number < string.
 */
const AGGREGATORS: Record<Exclude<AggregateFunction, 'count'>, Aggregator> = {
  sum: {
    columns: (f) => [NOT_NUMBER(f), `total(CASE WHEN ${f.rank} = ${Rank.number} THEN ${f.value} END)`],
    read: ([others, sum]) => (others === 0 ? (sum as number) : undefined),
  },
  avg: {
    columns: (f) => [NOT_NUMBER(f), `avg(CASE WHEN ${f.rank} = ${Rank.number} THEN ${f.value} END)`],
    read: ([others, avg]) => (others === 0 && avg !== null ? (avg as number) : undefined),
  },
  min: {
    columns: (f) => extremes(f, 'min'),
    read: (values) => byType(values).find((value) => value !== undefined),
  },
  max: {
    columns: (f) => extremes(f, 'max'),
    read: (values) => byType(values).findLast((value) => value !== undefined),
  },
};

/** COUNT(field) counts the documents where the field is defined. */
const COUNT: Aggregator = { columns: (f) => [`count(CASE WHEN ${f.rank} <> ${Rank.undefined} THEN 1 END)`], read: ([n]) => n as number };

function output(context: ContainerContext, name: string, fn: AggregateFunction, field: string | undefined) {
  if (fn === 'count' && field === undefined) return { name, columns: ['count(*)'], read: ([n]: unknown[]) => n as number };
  const aggregator = fn === 'count' ? COUNT : AGGREGATORS[fn];
  if (aggregator === undefined) throw new Error(`Unknown aggregate function "${fn}"`);
  if (field === undefined) throw new Error(`Aggregate ${name} (${fn}) needs a field`);
  return { name, columns: aggregator.columns(context.field(field)), read: aggregator.read };
}

/**
 * Groups (by each field's rank and value, so 1 and "1" are different groups, as in Cosmos) with one output row per
 * group; without `groupBy`, one row for everything. Group keys are named by their field path, aggregates as asked.
 */
export function runAggregate(context: ContainerContext, query: AggregateQuery): Record<string, Scalar>[] {
  const groups = (query.groupBy ?? []).map((path) => ({ path, sql: context.field(path) }));
  const outputs = Object.entries(query.aggregates).map(([name, { fn, field }]) => output(context, name, fn, field));
  const select = [
    ...groups.flatMap((group, i) => [`${group.sql.rank} AS g${i}r`, `${group.sql.value} AS g${i}v`]),
    ...outputs.flatMap(({ columns }, i) => columns.map((column, j) => `${column} AS a${i}_${j}`)),
  ];
  const keys = groups.map((_, i) => `g${i}r, g${i}v`).join(', ');
  const where = visibleDocuments(context, query);
  const grouping = groups.length > 0 ? ` GROUP BY ${keys} ORDER BY ${keys}` : '';
  const text = `SELECT ${select.join(', ')} FROM ${context.tables.docs} WHERE ${where.text}${grouping}`;
  const rows = context.statements.get(text).all(...where.params) as Record<string, unknown>[];
  return rows.map((row) => {
    const result: Record<string, Scalar> = {};
    groups.forEach((group, i) => assign(result, group.path, fromTyped(row[`g${i}r`] as number, row[`g${i}v`]) as Scalar | undefined));
    outputs.forEach(({ name, columns, read }, i) => assign(result, name, read(columns.map((_, j) => row[`a${i}_${j}`]))));
    return result;
  });
}

function assign(target: Record<string, Scalar>, key: string, value: Scalar | undefined): void {
  if (value !== undefined) target[key] = value;
}
