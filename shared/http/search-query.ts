import { z } from 'zod';
import type { RankPosition } from '../domain/search/ranking';
import { AppError } from '../errors';
import { strongEtag } from './etag';
import { decodeCursor, encodeCursor } from './pagination';
import { queryList } from './query';

/** A comma-separated or repeated list of known ids. */
export const idList = (known: (id: string) => boolean, what: string) =>
  queryList(z.string())
    .transform((values) =>
      values
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().refine(known, `is not a known ${what}`)).max(20))
    .optional();

const cursorSchema = z.object({ value: z.number(), id: z.string(), query: z.string() });

/**
 * Keyset cursors for in-memory searches. A cursor carries a fingerprint of the query that made
 * it, so it continues that query and only that one (another query's position means nothing).
 */
export function searchPaging<Q extends { cursor?: string | undefined }>(query: Q) {
  const { cursor, ...rest } = query;
  const fingerprint = strongEtag(rest);
  let after: RankPosition | undefined;
  if (cursor) {
    const position = decodeCursor(cursor, cursorSchema);
    if (position.query !== fingerprint)
      throw new AppError('validation', 'The cursor belongs to another query; start again from the first page.', { issues: [{ field: 'query.cursor', message: 'belongs to another query' }] });
    after = { value: position.value, id: position.id };
  }
  return {
    /** The query for the index: without the cursor, with the position to continue after. */
    search: { ...rest, ...(after ? { after } : {}) } as Omit<Q, 'cursor'> & { after?: RankPosition },
    nextCursor: (next: RankPosition | undefined) => (next ? encodeCursor({ ...next, query: fingerprint }) : null),
  };
}
