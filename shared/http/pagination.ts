import { z } from 'zod';
import { AppError } from '../errors';
import { queryNumber } from './query';

/** `limit` (1..100, default 20) and the opaque `cursor` a previous page returned. */
export const paginationQuery = z.object({
  limit: queryNumber(z.number().int().min(1).max(100).default(20)),
  cursor: z.string().min(1).max(2048).optional(),
});

export type PaginationQuery = z.output<typeof paginationQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The response schema of a page of `item`s, for OpenAPI. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** A page; `next` is where the following page starts, or undefined on the last one. */
export function page<T>(items: T[], next: object | undefined): Page<T> {
  return { items, nextCursor: next === undefined ? null : encodeCursor(next) };
}

/** Cursors are opaque to clients: base64url JSON of the position the store needs. */
export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * The position in a cursor, checked against `schema`. Cursors are not signed: the schema is
 * what makes a hand-made one harmless, and any that does not fit is the client's error.
 */
export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  const invalid = () =>
    new AppError('validation', 'The cursor is not valid; start again from the first page.', {
      issues: [{ field: 'query.cursor', message: 'Invalid cursor' }],
    });
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = schema.safeParse(position);
  if (!parsed.success) throw invalid();
  return parsed.data;
}

const storeCursor = z.object({ c: z.string() });

/** The store's continuation token inside a client cursor (for pages that follow a store query). */
export function continuationOf(cursor: string | undefined): string | undefined {
  return cursor ? decodeCursor(cursor, storeCursor).c : undefined;
}

export function nextCursor(continuation: string | null): string | null {
  return continuation ? encodeCursor({ c: continuation }) : null;
}
