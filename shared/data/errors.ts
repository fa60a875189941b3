import { AppError } from '../errors';

export type StoreErrorKind = 'not_found' | 'conflict' | 'precondition_failed' | 'throttled' | 'validation';

/**
 * What adapters throw for the outcomes callers handle: the HTTP kit maps them to
 * 404 / 409 / 412 / 503 (with Retry-After) / 400. Anything else is a bug and stays a plain error.
 */
export class StoreError extends AppError {
  constructor(kind: StoreErrorKind, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(kind, message, {
      cause: options.cause,
      headers: kind === 'throttled' ? { 'Retry-After': String(Math.max(1, Math.ceil((options.retryAfterMs ?? 1000) / 1000))) } : undefined,
    });
    this.name = 'StoreError';
  }
}

/** A transactional batch failed as a whole because of one operation. */
export class BatchError extends StoreError {
  constructor(
    readonly operationIndex: number,
    readonly reason: StoreError,
  ) {
    super(reason.kind as StoreErrorKind, `Batch operation ${operationIndex} failed: ${reason.message}`, { cause: reason });
    this.name = 'BatchError';
  }
}

/** Field paths come from code; anything but dotted identifiers is refused before it nears a query. */
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function assertFieldPath(path: string): string {
  if (!FIELD_PATH.test(path)) throw new Error(`Invalid field path "${path}": use dotted identifiers such as address.country`);
  return path;
}
