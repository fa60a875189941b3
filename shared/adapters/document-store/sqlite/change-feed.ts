import type { ChangeFeedPage, Document, Stored } from '../../../data/document-store';
import { pageLimit, type ContainerContext } from './container-context';
import { STORED_COLUMNS, toStored, type DocumentRow } from './document-rows';
import { decodeToken, encodeToken } from './tokens';

interface FeedToken {
  container: string;
  seq: number;
}

/**
 * Every write gives a document a new `seq` (deletes leave none), so the feed is the live rows after the token's
 * `seq`, in order: each document once, at its latest version, as Cosmos's latest-version change feed.
 */
export function readChanges<T extends Document>(context: ContainerContext, continuation: string | undefined, limit: number | undefined): ChangeFeedPage<Stored<T>> {
  const pageSize = pageLimit(limit, 100, 1000);
  const container = context.definition.name;
  const isFeedToken = (payload: unknown): payload is FeedToken => (payload as FeedToken | null)?.container === container && Number.isSafeInteger((payload as FeedToken).seq);
  const after = continuation === undefined ? 0 : decodeToken(continuation, isFeedToken).seq;
  const statement = context.statements.get(`SELECT ${STORED_COLUMNS} FROM ${context.tables.docs} WHERE seq > ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY seq LIMIT ?`);
  const rows = statement.all(after, context.nowSeconds(), pageSize) as DocumentRow[];
  return {
    items: rows.map((row) => toStored<T>(row)),
    continuation: encodeToken({ container, seq: rows.at(-1)?.seq ?? after } satisfies FeedToken),
  };
}
