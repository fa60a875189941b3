import { StoreError } from '../../../data/errors';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Continuation tokens are opaque to callers: base64url JSON. */
export function encodeToken(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Reads a token back; anything that was not made by `encodeToken` with the expected shape is a validation error. */
export function decodeToken<T>(token: unknown, isValid: (payload: unknown) => payload is T): T {
  let payload: unknown;
  if (typeof token === 'string' && BASE64URL.test(token)) {
    try {
      payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      payload = undefined;
    }
  }
  if (!isValid(payload)) throw new StoreError('validation', 'Invalid continuation token');
  return payload;
}
