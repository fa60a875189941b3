import { createHash } from 'node:crypto';
import { StoreError } from '../../data/errors';

/**
 * The SDK's continuation tokens, wrapped: opaque to clients, and bound to the query that made
 * them so a token replayed against another query is refused instead of misread.
 */
export function wrapToken(token: string, query: unknown): string {
  return Buffer.from(JSON.stringify({ q: fingerprint(query), t: token })).toString('base64url');
}

export function unwrapToken(wrapped: string, query: unknown): string {
  try {
    const { q, t } = JSON.parse(Buffer.from(wrapped, 'base64url').toString('utf8')) as { q?: unknown; t?: unknown };
    if (q === fingerprint(query) && typeof t === 'string') return t;
  } catch {
    // falls through to the refusal below
  }
  throw new StoreError('validation', 'The continuation token is not valid for this query');
}

function fingerprint(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}
