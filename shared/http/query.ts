import { z } from 'zod';

export type QueryObject = Record<string, string | string[]>;

/** A query string as an object for zod: a repeated key becomes an array of its values. */
export function queryToObject(query: URLSearchParams): QueryObject {
  const result: QueryObject = {};
  for (const [key, value] of query) {
    const existing = result[key];
    result[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return result;
}

/*
 * Coercion for text inputs (query strings, route params). Unlike z.coerce, an empty or
 * non-numeric value stays a failure instead of becoming 0 or true, and the wrapped schema
 * (with its bounds and default) is what the OpenAPI document shows.
 */

/** `queryNumber(z.number().int().min(1).default(20))`: "20" → 20. */
export function queryNumber<T extends z.ZodType = z.ZodNumber>(schema: T = z.number() as z.ZodType as T) {
  return z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value), schema);
}

/** "true"/"1" → true, "false"/"0" → false; anything else fails. */
export function queryBoolean<T extends z.ZodType = z.ZodBoolean>(schema: T = z.boolean() as z.ZodType as T) {
  const words: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };
  return z.preprocess((value) => (typeof value === 'string' && Object.hasOwn(words, value) ? words[value] : value), schema);
}

/** A key that may be given once or repeated (`?tag=a&tag=b`) as an array of items. */
export function queryList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(item));
}
