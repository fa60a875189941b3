import type { Condition, Scalar } from '../../../data/document-store';
import { StoreError } from '../../../data/errors';
import { FALSE, joinSql, sql, TRUE, type Sql } from './sql';
import { assertScalar, jsonPath, Rank, rankOf, rankOfJsonType, sqlValue, type FieldSql } from './typed-json';

export type FieldResolver = (field: string) => FieldSql;

type Comparison = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';
const SQL_OPERATOR: Record<Comparison, string> = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const NEGATION: Record<Comparison, Comparison> = { eq: 'ne', ne: 'eq', lt: 'gte', lte: 'gt', gt: 'lte', gte: 'lt' };

/**
 * Compiles a condition to a SQL predicate with Cosmos semantics. Cosmos logic is three-valued: a comparison of a
 * missing field or of two different types is `undefined`, `NOT undefined` is still `undefined`, and only `true`
 * selects a document. Each node is therefore compiled as "is true" or, under a NOT, as "is false" (De Morgan
 * holds in this logic), and a leaf is false-or-true only when its types are comparable.
 */
export function conditionSql(condition: Condition, field: FieldResolver): Sql {
  return holds(condition, true, field);
}

function holds(condition: Condition, wanted: boolean, field: FieldResolver): Sql {
  if ('and' in condition) return combine(condition.and, wanted ? 'AND' : 'OR', wanted, field);
  if ('or' in condition) return combine(condition.or, wanted ? 'OR' : 'AND', wanted, field);
  if ('not' in condition) return holds(condition.not, !wanted, field);
  const f = field(condition.field);
  switch (condition.op) {
    case 'defined':
      if (typeof condition.value !== 'boolean') throw new StoreError('validation', '`defined` takes true or false');
      return sql(`${f.rank} ${condition.value === wanted ? '<>' : '='} ${Rank.undefined}`);
    case 'in':
      return membership(f, condition.values, wanted);
    case 'contains':
      return arrayContains(f, condition.field, condition.value, wanted);
    case 'startsWith':
      return startsWith(f, condition.value, wanted);
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return comparison(f, condition.op, condition.value, wanted);
    default:
      throw new Error(`Unknown condition ${JSON.stringify(condition)}`);
  }
}

function combine(children: Condition[], operator: 'AND' | 'OR', wanted: boolean, field: FieldResolver): Sql {
  if (children.length === 0) return operator === 'AND' ? TRUE : FALSE;
  const parts = joinSql(
    children.map((child) => holds(child, wanted, field)),
    ` ${operator} `,
  );
  return sql(`(${parts.text})`, ...parts.params);
}

function comparison(f: FieldSql, op: Comparison, value: Scalar, wanted: boolean): Sql {
  assertScalar(value);
  const rank = rankOf(value);
  if (rank === Rank.null) {
    // null = null is the only outcome among nulls: eq/lte/gte hold, ne/lt/gt do not.
    const result = op === 'eq' || op === 'lte' || op === 'gte';
    return result === wanted ? sql(`${f.rank} = ${Rank.null}`) : FALSE;
  }
  const operator = SQL_OPERATOR[wanted ? op : NEGATION[op]];
  return sql(`(${f.rank} = ${rank} AND ${f.value} ${operator} ?)`, sqlValue(value));
}

/** `in` is an OR of equalities; its negation needs every value comparable, so one type only. */
function membership(f: FieldSql, values: Scalar[], wanted: boolean): Sql {
  if (!Array.isArray(values)) throw new StoreError('validation', '`in` takes an array of values');
  values.forEach(assertScalar);
  const byRank = new Map<number, Scalar[]>();
  for (const value of values) byRank.set(rankOf(value), [...(byRank.get(rankOf(value)) ?? []), value]);
  if (!wanted) {
    if (values.length === 0) return TRUE;
    const [rank, group] = [...byRank][0];
    if (byRank.size > 1 || rank === Rank.null) return FALSE;
    return sql(`(${f.rank} = ${rank} AND ${f.value} NOT IN (${placeholders(group)}))`, ...group.map(sqlValue));
  }
  if (values.length === 0) return FALSE;
  const alternatives = [...byRank].map(([rank, group]) =>
    rank === Rank.null ? sql(`${f.rank} = ${Rank.null}`) : sql(`(${f.rank} = ${rank} AND ${f.value} IN (${placeholders(group)}))`, ...group.map(sqlValue)),
  );
  const joined = joinSql(alternatives, ' OR ');
  return sql(`(${joined.text})`, ...joined.params);
}

/** ARRAY_CONTAINS: elements compare with the same type rules; undefined when the field is not an array. */
function arrayContains(f: FieldSql, field: string, value: Scalar, wanted: boolean): Sql {
  assertScalar(value);
  const rank = rankOf(value);
  const element = rank === Rank.null ? sql(`${rankOfJsonType('type')} = ${Rank.null}`) : sql(`${rankOfJsonType('type')} = ${rank} AND value = ?`, sqlValue(value));
  const exists = `EXISTS (SELECT 1 FROM json_each(doc, ${jsonPath(field)}) WHERE ${element.text})`;
  return sql(`(${f.rank} = ${Rank.array} AND ${wanted ? '' : 'NOT '}${exists})`, ...element.params);
}

/** STARTSWITH, case-sensitive, as a range on the value so an index can serve it. */
function startsWith(f: FieldSql, prefix: string, wanted: boolean): Sql {
  if (typeof prefix !== 'string') throw new StoreError('validation', '`startsWith` takes a string');
  const upper = prefixUpperBound(prefix);
  const range = upper === null ? sql(`${f.value} >= ?`, prefix) : sql(`${f.value} >= ? AND ${f.value} < ?`, prefix, upper);
  return sql(`(${f.rank} = ${Rank.string} AND ${wanted ? '' : 'NOT '}(${range.text}))`, ...range.params);
}

/**
 * The least string greater than every string that starts with `prefix`, in code-point order (SQLite's BINARY
 * collation compares UTF-8 bytes, which is code-point order). Null when there is none (the prefix is empty or all
 * U+10FFFF), in which case `>= prefix` alone is exact.
 */
function prefixUpperBound(prefix: string): string | null {
  const codePoints = [...prefix].map((char) => char.codePointAt(0)!);
  while (codePoints.length > 0 && codePoints[codePoints.length - 1] === 0x10ffff) codePoints.pop();
  if (codePoints.length === 0) return null;
  const last = codePoints.pop()! + 1;
  codePoints.push(last === 0xd800 ? 0xe000 : last); // skip the surrogate block, which is not text
  return String.fromCodePoint(...codePoints);
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
