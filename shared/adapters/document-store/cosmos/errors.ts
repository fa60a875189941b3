import { StoreError } from '../../../data/errors';

/** The Cosmos statuses callers handle, as the port's errors; anything else is a bug or an outage and stays as thrown. */
export function storeErrorForStatus(status: number, retryAfterMs?: number, cause?: unknown): StoreError | undefined {
  switch (status) {
    case 400:
      return new StoreError('validation', 'Cosmos DB refused the request as invalid', { cause });
    case 404:
      return new StoreError('not_found', 'The document does not exist', { cause });
    case 409:
      return new StoreError('conflict', 'A document with this id already exists in the partition', { cause });
    case 412:
      return new StoreError('precondition_failed', 'The document changed since it was read (ETag mismatch) or the patch condition did not hold', {
        cause,
      });
    case 413:
      return new StoreError('validation', 'The document or request is larger than Cosmos DB allows (2 MB)', { cause });
    case 429:
      // Only reached once the SDK's own retries (connectionPolicy.retryOptions) are spent.
      return new StoreError('throttled', 'Cosmos DB is busy; retry later', { retryAfterMs, cause });
    default:
      return undefined;
  }
}

/**
 * An SDK failure as a port error. `ErrorResponse` carries the status in `code` and the server's
 * `x-ms-retry-after-ms` in `retryAfterInMs`. `items.batch` rethrows transport failures as a plain
 * `Error("Batch request error: <message>")` without the status, so for that one shape the
 * service's 429 / 413 wording is recognised.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const { code, statusCode, retryAfterInMs, headers, message } = (error ?? {}) as {
    code?: unknown;
    statusCode?: unknown;
    retryAfterInMs?: unknown;
    headers?: Record<string, unknown>;
    message?: unknown;
  };
  const status = Number(code ?? statusCode);
  const retryAfter = Number(retryAfterInMs ?? headers?.['x-ms-retry-after-ms']);
  const mapped = Number.isInteger(status) ? storeErrorForStatus(status, Number.isFinite(retryAfter) ? retryAfter : undefined, error) : undefined;
  if (mapped) return mapped;
  if (typeof message === 'string' && message.startsWith('Batch request error:')) {
    if (/Request rate is large/i.test(message)) return storeErrorForStatus(429, undefined, error);
    if (/Request size is too large|Entity is too large/i.test(message)) return storeErrorForStatus(413, undefined, error);
  }
  return error;
}
