import type { Scalar } from '../../../data/document-store';
import { assertFieldPath, StoreError } from '../../../data/errors';

/**
 * Cosmos orders JSON by type first (undefined < null < boolean < number < string < array < object) and never
 * compares values of different types. So every field is seen in SQL as a pair: its type rank and its value. A
 * B-tree index on (rank, value) then serves typed equality, ranges and Cosmos-ordered sorts alike.
 */
export const Rank = { undefined: 0, null: 1, boolean: 2, number: 3, string: 4, array: 5, object: 6 } as const;

export interface FieldSql {
  /** SQL for the field's type rank. */
  rank: string;
  /** SQL for the field's value: never NULL (null and undefined read as 0, their rank tells them apart). */
  value: string;
}

/** The SQL string literal of a field's JSON path; inlined (indexes match on text) and safe: the path is checked. */
export function jsonPath(field: string): string {
  return `'$.${assertFieldPath(field)}'`;
}

/** The rank of a JSON type name as `json_type` and `json_each.type` spell it. */
export function rankOfJsonType(typeSql: string): string {
  return `(CASE ${typeSql} WHEN 'null' THEN 1 WHEN 'false' THEN 2 WHEN 'true' THEN 2 WHEN 'integer' THEN 3 WHEN 'real' THEN 3 WHEN 'text' THEN 4 WHEN 'array' THEN 5 WHEN 'object' THEN 6 ELSE 0 END)`;
}

/** The field read from the `doc` column; generated columns for indexed fields use these same expressions. */
export function fieldExpressions(field: string): FieldSql {
  const path = jsonPath(field);
  return { rank: rankOfJsonType(`json_type(doc, ${path})`), value: `coalesce(json_extract(doc, ${path}), 0)` };
}

export function assertScalar(value: unknown): asserts value is Scalar {
  const ok = value === null || ['string', 'boolean'].includes(typeof value) || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw new StoreError('validation', 'Filter values must be strings, finite numbers, booleans or null');
}

export function rankOf(value: Scalar): number {
  if (value === null) return Rank.null;
  return typeof value === 'boolean' ? Rank.boolean : typeof value === 'number' ? Rank.number : Rank.string;
}

/** A scalar as `json_extract` returns it (booleans are 1/0, null reads as 0 like the value column). */
export function sqlValue(value: Scalar): string | number {
  if (value === null) return 0;
  return typeof value === 'boolean' ? Number(value) : value;
}

/** Back from (rank, value) to JSON; undefined for a missing field. */
export function fromTyped(rank: number, value: unknown): unknown {
  switch (rank) {
    case Rank.undefined:
      return undefined;
    case Rank.null:
      return null;
    case Rank.boolean:
      return value === 1;
    case Rank.array:
    case Rank.object:
      return JSON.parse(value as string);
    default:
      return value;
  }
}
