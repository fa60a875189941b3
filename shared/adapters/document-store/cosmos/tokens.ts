import { createHash } from 'node:crypto';
import { StoreError } from '../../../data/errors';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The SDK's continuation tokens, wrapped: opaque to clients (base64url JSON), and bound to the
 * query that made them, so a token replayed against another query or container is refused
 * instead of handed to the SDK, which would misread it or fail with a 500.
 */
export function wrapToken(token: string, scope: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, q: fingerprint(scope), t: token }), 'utf8').toString('base64url');
}

export function unwrapToken(wrapped: unknown, scope: unknown): string {
  if (typeof wrapped === 'string' && BASE64URL.test(wrapped)) {
    try {
      const { v, q, t } = JSON.parse(Buffer.from(wrapped, 'base64url').toString('utf8')) as { v?: unknown; q?: unknown; t?: unknown };
      if (v === 1 && q === fingerprint(scope) && typeof t === 'string' && t.length > 0) return t;
    } catch {
      // falls through to the refusal below
    }
  }
  throw new StoreError('validation', 'Invalid continuation token');
}

function fingerprint(scope: unknown): string {
  return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 16);
}
