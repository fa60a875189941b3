import { StoreError } from '../../data/errors';

/** Cosmos status codes callers handle, as the port's errors; anything else stays as thrown. */
export function toStoreError(error: unknown): unknown {
  const { code, statusCode, retryAfterInMs, message } = (error ?? {}) as { code?: unknown; statusCode?: unknown; retryAfterInMs?: number; message?: string };
  const status = Number(statusCode ?? code);
  const text = (message ?? 'Cosmos DB request failed').split('\n')[0]!;
  switch (status) {
    case 400:
      return new StoreError('validation', text, { cause: error });
    case 404:
      return new StoreError('not_found', 'The document does not exist', { cause: error });
    case 409:
      return new StoreError('conflict', 'A document with this id already exists in the partition', { cause: error });
    case 412:
      return new StoreError('precondition_failed', 'The document changed since it was read (ETag mismatch) or the patch condition did not hold', { cause: error });
    case 429:
      return new StoreError('throttled', 'Cosmos DB is busy; retry later', { retryAfterMs: retryAfterInMs, cause: error });
    default:
      return error;
  }
}

/** Runs an SDK call and rethrows its failure as a port error. */
export async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStoreError(error);
  }
}
